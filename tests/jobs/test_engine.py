"""The engine end to end in one process: submit, run, progress, retry, cancel, resume."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from apiscope.errors import InvalidTransition, JobNotFound, StoreUnavailable, UnknownJobKind
from apiscope.jobs import JobEngine, JobStatus, StepStatus
from apiscope.jobs.model import Job
from apiscope.jobs.stores.memory import MemoryStore
from tests.jobkinds import registry


async def finished(engine: JobEngine, job_id: str, timeout: float = 15) -> Job:
    job = await engine.wait(job_id, timeout)
    assert job.is_terminal, f"job still {job.status}: {job.message}"
    return job


async def test_a_job_runs_to_completion_with_rising_progress(engine: JobEngine) -> None:
    """Progress seen by a watcher only rises, ending at 100 with the result."""
    job, created = await engine.submit("sleep", {"seconds": 0.3, "steps": 6})
    assert created and job.status is JobStatus.PENDING
    seen = [j async for j in engine.watch(job.id)]
    progress = [j.progress for j in seen]
    assert progress == sorted(progress) and progress[-1] == 100
    assert len(seen) >= 3
    assert seen[-1].status is JobStatus.COMPLETED and seen[-1].result == {"slept": 0.3}


async def test_bad_parameters_and_unknown_kinds_are_refused_at_submit(engine: JobEngine) -> None:
    """Nothing is stored for a submission that cannot run."""
    with pytest.raises(ValidationError):
        await engine.submit("sleep", {"seconds": "soon"})
    with pytest.raises(UnknownJobKind):
        await engine.submit("nope", {})
    assert (await engine.list(owner=None)).jobs == ()


async def test_a_failing_job_is_retried_with_backoff_then_completes(
    engine: JobEngine, tmp_path: Path
) -> None:
    """Two planned failures, three attempts: the third succeeds."""
    job, _ = await engine.submit("flaky", {"failures": 2, "marker": str(tmp_path / "m")})
    done = await finished(engine, job.id)
    assert done.status is JobStatus.COMPLETED and done.result == {"attempts": 3}
    assert done.attempts == 3


async def test_a_job_fails_after_its_last_attempt_with_the_error(
    engine: JobEngine, tmp_path: Path
) -> None:
    """Failures beyond max_attempts end the job as failed, with the last error."""
    job, _ = await engine.submit("flaky", {"failures": 10, "marker": str(tmp_path / "m")})
    done = await finished(engine, job.id)
    assert done.status is JobStatus.FAILED and done.attempts == 3
    assert done.error == "RuntimeError: planned failure 3"
    assert (tmp_path / "m").read_text() == "3"


async def test_a_permanent_failure_is_not_retried(engine: JobEngine) -> None:
    """PermanentJobFailure fails at once, keeping its message."""
    job, _ = await engine.submit("refuse", {})
    done = await finished(engine, job.id)
    assert (done.status, done.attempts, done.error) == (JobStatus.FAILED, 1, "repository not found")


async def test_cancelling_a_pending_job_means_it_never_starts(engine: JobEngine) -> None:
    """With every slot busy, a queued job cancelled stays cancelled and never runs."""
    busy = [(await engine.submit("sleep", {"seconds": 1, "steps": 2}))[0] for _ in range(2)]
    queued, _ = await engine.submit("sleep", {"seconds": 0.1})
    await asyncio.sleep(0.2)
    cancelled = await engine.cancel(queued.id)
    assert cancelled.status is JobStatus.CANCELLED
    for job in busy:
        await finished(engine, job.id)
    final = await engine.get(queued.id)
    assert final.status is JobStatus.CANCELLED and final.attempts == 0 and final.started_at is None


async def test_cancelling_a_running_job_stops_it_at_its_next_progress_call(
    engine: JobEngine,
) -> None:
    """A running job stops early and is not recorded as completed afterwards."""
    job, _ = await engine.submit("sleep", {"seconds": 3, "steps": 30})
    while (await engine.get(job.id)).progress < 10:
        await asyncio.sleep(0.05)
    await engine.cancel(job.id)
    await asyncio.sleep(0.5)
    final = await engine.get(job.id)
    assert final.status is JobStatus.CANCELLED and final.progress < 50
    with pytest.raises(InvalidTransition):
        await engine.cancel(job.id)


async def test_cancelling_sync_code_in_a_thread(engine: JobEngine) -> None:
    """Plain code running in a thread also stops at its next progress call."""
    job, _ = await engine.submit("burn", {"seconds": 5})
    while (await engine.get(job.id)).status is not JobStatus.PROCESSING:
        await asyncio.sleep(0.05)
    await engine.cancel(job.id)
    await asyncio.sleep(0.5)
    assert engine._executor is not None and engine._executor.running == 0


async def test_a_pipeline_reports_steps_and_weighted_progress(
    engine: JobEngine, tmp_path: Path
) -> None:
    """Steps go pending → processing → completed; the messages are the steps' own."""
    marker = tmp_path / "steps"
    job, _ = await engine.submit("pipeline", {"marker": str(marker), "step_seconds": 0.2})
    assert [s.name for s in job.steps] == ["fetch", "discover", "report"]
    seen = [j async for j in engine.watch(job.id)]
    messages = [j.message for j in seen]
    assert "Discovering APIs..." in messages
    during = next(j for j in seen if j.message == "Discovering APIs...")
    assert [s.status for s in during.steps] == [
        StepStatus.COMPLETED,
        StepStatus.PROCESSING,
        StepStatus.PENDING,
    ]
    assert 25 <= during.progress <= 50  # fetch (weight 1 of 4) done; discover (2 of 4) under way
    done = seen[-1]
    assert done.status is JobStatus.COMPLETED and done.result == {
        "routes": ["route0", "route1", "route2"]
    }


async def test_a_retried_pipeline_resumes_after_its_last_finished_step(
    engine: JobEngine, tmp_path: Path
) -> None:
    """The step that finished before the failure is not run again."""
    marker = tmp_path / "steps"
    job, _ = await engine.submit("pipeline", {"marker": str(marker), "fail_in": "discover"})
    done = await finished(engine, job.id)
    assert done.status is JobStatus.COMPLETED and done.attempts == 2
    assert marker.read_text().split() == ["fetch", "discover", "discover", "report"]


async def test_concurrency_is_bounded(engine: JobEngine) -> None:
    """No more jobs run at once than the executor's concurrency."""
    jobs = [(await engine.submit("sleep", {"seconds": 0.3, "steps": 3}))[0] for _ in range(6)]
    peak = 0
    while not all([(await engine.get(j.id)).is_terminal for j in jobs]):
        stats = await engine.store.stats()
        peak = max(peak, stats.by_status[JobStatus.PROCESSING])
        await asyncio.sleep(0.02)
    assert peak == 2


async def test_owners_only_see_their_own_jobs(engine: JobEngine) -> None:
    """Another owner's job is not found, exactly like a job that does not exist."""
    job, _ = await engine.submit("echo", {"x": 1}, owner="alice")
    assert (await engine.get(job.id, owner="alice")).id == job.id
    with pytest.raises(JobNotFound):
        await engine.get(job.id, owner="bob")
    with pytest.raises(JobNotFound):
        await engine.cancel(job.id, owner="bob")
    assert (await engine.list(owner="bob")).jobs == ()


async def test_cpu_heavy_work_runs_in_a_process(engine: JobEngine) -> None:
    """run_in_process returns the function's result from a worker process."""
    job, _ = await engine.submit("crunch", {"limit": 1000})
    done = await finished(engine, job.id, timeout=60)
    assert (done.status, done.result) == (JobStatus.COMPLETED, {"primes": 168})


async def test_an_attempt_past_its_timeout_fails_and_is_retried(engine: JobEngine) -> None:
    """Each attempt is cut at the kind's timeout; after the last one the job fails saying so."""
    job, _ = await engine.submit("slow", {})
    done = await finished(engine, job.id)
    assert (done.status, done.attempts) == (JobStatus.FAILED, 2)
    assert done.error == "attempt timed out after 0.3 s"


async def test_a_kind_limit_caps_its_jobs_but_not_others(engine: JobEngine) -> None:
    """With a kind limited to 1, its jobs run one by one while another kind uses the free slot."""
    limited = [(await engine.submit("exclusive", {"seconds": 0.3}))[0] for _ in range(3)]
    other, _ = await engine.submit("sleep", {"seconds": 0.3, "steps": 3})
    peak_limited = peak_total = 0
    while not all([(await engine.get(j.id)).is_terminal for j in [*limited, other]]):
        page = await engine.list(owner=None, status=JobStatus.PROCESSING)
        peak_limited = max(peak_limited, sum(j.kind == "exclusive" for j in page.jobs))
        peak_total = max(peak_total, len(page.jobs))
        await asyncio.sleep(0.02)
    assert (peak_limited, peak_total) == (1, 2)


class BlippingStore(MemoryStore):
    """A memory store whose reads fail for a while, as a database restarting would."""

    def __init__(self) -> None:
        super().__init__()
        self.failures = 0
        self.reads = 0

    async def get(self, job_id: str) -> Job:
        self.reads += 1
        await asyncio.sleep(0.01)
        if self.failures:
            self.failures -= 1
            raise StoreUnavailable("the store is restarting")
        return await super().get(job_id)


async def test_watchers_ride_out_a_store_blip_and_share_their_reads() -> None:
    """Watchers survive failed re-reads, and fifty watchers of one job share each re-read."""
    store = BlippingStore()
    async with JobEngine(store, registry, execute=False).running() as engine:
        engine._watch_poll = 0.05
        job, _ = await engine.submit("echo", {})
        streams = [engine.watch(job.id) for _ in range(50)]
        for stream in streams:
            assert (await anext(stream)).status is JobStatus.PENDING
        store.failures, store.reads = 3, 0
        finals = [asyncio.ensure_future(_last(stream)) for stream in streams]
        await asyncio.sleep(0.3)
        [claimed] = await store.claim(worker_id="w", kinds=["echo"], limit=1,
                                      lease_until=job.created_at + timedelta(hours=1))  # fmt: skip
        await store.complete(job.id, claimed.lease_token, {"ok": True})
        done = await asyncio.wait_for(asyncio.gather(*finals), 10)
    assert all(j.status is JobStatus.COMPLETED for j in done)
    assert store.reads < 50  # shared: without sharing, every watcher would read each time


async def _last(stream) -> Job:
    seen = [job async for job in stream]
    return seen[-1]
