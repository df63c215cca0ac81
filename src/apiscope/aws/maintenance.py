"""The scheduled maintenance run of the serverless shapes, where no executor loop does it:
rescue jobs whose lease lapsed (their function died or timed out) and send them on again,
purge expired jobs, and send again every job due for a while that nobody took (a lost
dispatch, or a retry whose backoff outlasted the invocation that scheduled it).

A job still waiting may just be behind a long backlog, its message queued, not lost. So a
waiting job is sent again when its wait reaches `redispatch_after`, then 2x, 4x, ... that: a
handful of extra messages over hours, where sending at every run would add a message per job
per minute to the very backlog that delays them."""

from __future__ import annotations

import logging
from datetime import timedelta

from apiscope.jobs.engine import JobEngine
from apiscope.jobs.model import Job, JobStatus

log = logging.getLogger("apiscope.aws")
STALE_PAGES = 10
PAGE = 100


async def maintain(
    engine: JobEngine, *, redispatch_after: timedelta, every: timedelta
) -> dict[str, int]:
    """One run (the schedule runs one `every` so long); returns what it did, for the log."""
    rescued = await engine.store.rescue()
    for job in rescued:
        log.warning("rescued job %s: %s", job.id, job.error or job.message)
        if job.status is JobStatus.PENDING:
            await engine.dispatcher.dispatch(job)
    purged = await engine.store.purge()
    stale = await _stale(engine, redispatch_after, every)
    for job in stale:
        await engine.dispatcher.dispatch(job)
    return {"rescued": len(rescued), "purged": purged, "redispatched": len(stale)}


def resend_now(waited: timedelta, after: timedelta, every: timedelta) -> bool:
    """Whether a job waiting `waited` since it was due reached a re-send point (`after`, then
    each doubling of it) within the last `every`, the time since the previous run."""
    if waited < after:
        return False
    point = after
    while point * 2 <= waited:
        point *= 2
    return waited - point < every


async def _stale(engine: JobEngine, after: timedelta, every: timedelta) -> list[Job]:
    """Pending jobs that reached a re-send point (among the newest thousand waiting)."""
    now = engine.clock()
    stale: list[Job] = []
    cursor = None
    for _ in range(STALE_PAGES):
        page = await engine.store.list_jobs(
            owner=None, limit=PAGE, cursor=cursor, status=JobStatus.PENDING
        )
        stale += [job for job in page.jobs if resend_now(now - job.run_at, after, every)]
        cursor = page.next_cursor
        if cursor is None:
            break
    return stale
