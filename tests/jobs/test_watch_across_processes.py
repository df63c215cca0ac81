"""Watchers in one process following jobs that another process runs, over PostgreSQL: the API
process learns of each change by NOTIFY and must never miss the last one, however fast the
worker writes (a miss would leave a stream open until the 30 s re-read)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from apiscope.jobs import JobEngine, JobStatus
from apiscope.jobs.model import Job
from apiscope.jobs.stores import open_store
from tests.jobkinds import registry
from tests.jobs.conftest import FAST

JOBS = 20


async def test_every_watcher_sees_its_job_complete_without_waiting_for_a_re_read(
    postgres_url: str, tmp_path: Path
) -> None:
    """Twenty three-step pipelines run by a worker engine, each watched from an API engine
    whose re-read guard is far away: every stream ends with `completed`, promptly."""
    await open_store(postgres_url).upgrade()
    api = JobEngine(open_store(postgres_url), registry, execute=False)
    worker = JobEngine(open_store(postgres_url), registry, options=FAST)
    async with api.running(), worker.running():
        assert api._watch_poll >= 30  # only a notification can end a stream within the bound
        jobs = [
            (await api.submit("pipeline", {"marker": str(tmp_path / f"m{n}"), "step_seconds": 0}))[
                0
            ]
            for n in range(JOBS)
        ]
        finals = await asyncio.wait_for(asyncio.gather(*(_last(api, j) for j in jobs)), 20)
    assert [j.status for j in finals] == [JobStatus.COMPLETED] * JOBS


async def _last(engine: JobEngine, job: Job) -> Job:
    seen = [current async for current in engine.watch(job.id)]
    return seen[-1]
