"""Recovery: a dead executor's job is taken over after its lease; a live one never is."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from apiscope.jobs import JobEngine, JobStatus
from apiscope.jobs.stores import open_store
from tests.jobkinds import registry
from tests.jobs.conftest import FAST
from tests.jobs.test_engine import finished


async def test_a_job_claimed_by_a_dead_executor_is_taken_over(tmp_path: Path) -> None:
    """A claim that is never heartbeated expires, and a live engine runs the job again."""
    url = f"sqlite:///{tmp_path}/jobs.db"
    async with JobEngine(open_store(url), registry, execute=False).running() as submitter:
        job, _ = await submitter.submit("sleep", {"seconds": 0.1})
        lease_until = job.created_at + timedelta(seconds=1)
        [dead] = await submitter.store.claim(
            worker_id="dead", kinds=["sleep"], limit=1, lease_until=lease_until
        )
    async with JobEngine(open_store(url), registry, options=FAST).running() as survivor:
        done = await finished(survivor, job.id)
    assert done.status is JobStatus.COMPLETED and done.attempts == 2
    assert dead.lease_token != done.lease_token


async def test_heartbeats_keep_a_long_cpu_bound_job_from_being_taken_over(tmp_path: Path) -> None:
    """A thread burning CPU for longer than two leases finishes in its first attempt."""
    async with JobEngine(
        open_store(f"sqlite:///{tmp_path}/j.db"), registry, options=FAST
    ).running() as engine:
        job, _ = await engine.submit("burn", {"seconds": 2 * FAST.lease.total_seconds() + 0.5})
        done = await finished(engine, job.id)
    assert done.status is JobStatus.COMPLETED and done.attempts == 1


async def test_a_stopping_engine_releases_unfinished_jobs_for_the_next(tmp_path: Path) -> None:
    """Graceful shutdown gives a job still running back as pending, its attempt not counted."""
    url = f"sqlite:///{tmp_path}/jobs.db"
    async with JobEngine(open_store(url), registry, options=FAST).running() as first:
        job, _ = await first.submit("sleep", {"seconds": 5, "steps": 50})
        while (await first.get(job.id)).status is not JobStatus.PROCESSING:
            await first.hub.next_change(job.id, 0.1)
    async with JobEngine(open_store(url), registry, execute=False).running() as reader:
        released = await reader.get(job.id)
    assert released.status is JobStatus.PENDING and released.attempts == 0


async def test_stopping_terminates_cpu_work_in_the_process_pool(tmp_path: Path) -> None:
    """A released job's CPU work must not go on in this process's pool after shutdown."""
    url = f"sqlite:///{tmp_path}/jobs.db"
    engine = JobEngine(open_store(url), registry, options=FAST)
    async with engine.running():
        job, _ = await engine.submit("crunch", {"limit": 10_000_000})
        while (await engine.get(job.id)).progress < 10:
            await engine.hub.next_change(job.id, 0.1)
        assert engine._executor is not None
        pool = engine._executor.process_pool()
        while not pool._processes:  # type: ignore[attr-defined]  # started by the job's submit
            await asyncio.sleep(0.05)
        processes = list(pool._processes.values())  # type: ignore[attr-defined]
    for process in processes:
        process.join(timeout=5)
        assert not process.is_alive()
