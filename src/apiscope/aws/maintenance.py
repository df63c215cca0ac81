"""The scheduled maintenance run of the serverless shapes, where no executor loop does it:
rescue jobs whose lease lapsed (their function died or timed out) and send them on again,
purge expired jobs, and send again every job due for a while that nobody took (a lost
dispatch, or a retry whose backoff outlasted the invocation that scheduled it)."""

from __future__ import annotations

import logging
from datetime import timedelta

from apiscope.jobs.engine import JobEngine
from apiscope.jobs.model import Job, JobStatus

log = logging.getLogger("apiscope.aws")
STALE_PAGES = 10
PAGE = 100


async def maintain(engine: JobEngine, *, redispatch_after: timedelta) -> dict[str, int]:
    """One run; returns what it did, for the function's log."""
    rescued = await engine.store.rescue()
    for job in rescued:
        log.warning("rescued job %s: %s", job.id, job.error or job.message)
        if job.status is JobStatus.PENDING:
            await engine.dispatcher.dispatch(job)
    purged = await engine.store.purge()
    stale = await _stale(engine, redispatch_after)
    for job in stale:
        await engine.dispatcher.dispatch(job)
    return {"rescued": len(rescued), "purged": purged, "redispatched": len(stale)}


async def _stale(engine: JobEngine, after: timedelta) -> list[Job]:
    """Pending jobs due for longer than `after` (the first thousand)."""
    cutoff = engine.clock() - after
    stale: list[Job] = []
    cursor = None
    for _ in range(STALE_PAGES):
        page = await engine.store.list_jobs(
            owner=None, limit=PAGE, cursor=cursor, status=JobStatus.PENDING
        )
        stale += [job for job in page.jobs if job.run_at <= cutoff]
        cursor = page.next_cursor
        if cursor is None:
            break
    return stale
