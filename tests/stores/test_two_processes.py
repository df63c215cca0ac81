"""Two processes on one store: a worker holding a job, and another process (an API serving a
cancel, a second worker after a lease lapsed) writing the same job. Whatever a store instance
remembers of a job, the other's writes win over it: nothing is written over them unseen."""

from __future__ import annotations

import pytest

from apiscope.errors import LeaseLost
from apiscope.jobs.model import JobStatus, ProgressUpdate
from apiscope.jobs.stores import JobStore
from tests.conftest import FakeClock
from tests.stores.test_contract import LEASE, claim_one, new_job

Pair = tuple[JobStore, JobStore]


async def test_progress_written_by_the_other_process_is_built_upon(
    two_processes: Pair, clock: FakeClock
) -> None:
    """The worker's next write lands on top of the other process's, not over it."""
    worker, other = two_processes
    await worker.submit(new_job(clock))
    claimed = await claim_one(worker, clock)
    await other.record_progress(claimed.job.id, claimed.lease_token, ProgressUpdate(40, "B"))
    mine = await worker.record_progress(claimed.job.id, claimed.lease_token, ProgressUpdate(50))
    stored = await other.get(claimed.job.id)
    assert (stored.progress, stored.message, stored.version) == (50, "B", claimed.job.version + 2)
    assert mine == stored


async def test_a_cancel_by_the_other_process_stops_the_worker(
    two_processes: Pair, clock: FakeClock
) -> None:
    """A job cancelled elsewhere refuses the worker's progress and its result."""
    worker, other = two_processes
    await worker.submit(new_job(clock))
    claimed = await claim_one(worker, clock)
    await worker.record_progress(claimed.job.id, claimed.lease_token, ProgressUpdate(10))
    await other.cancel(claimed.job.id)
    with pytest.raises(LeaseLost) as lost:
        await worker.record_progress(claimed.job.id, claimed.lease_token, ProgressUpdate(90))
    assert lost.value.status == JobStatus.CANCELLED
    with pytest.raises(LeaseLost):
        await worker.complete(claimed.job.id, claimed.lease_token, {"late": True})
    stored = await worker.get(claimed.job.id)
    assert stored.status is JobStatus.CANCELLED and stored.result is None


async def test_a_job_taken_over_elsewhere_refuses_the_old_worker(
    two_processes: Pair, clock: FakeClock
) -> None:
    """After its lease lapsed and another worker took the job, the old worker's writes fail,
    and the new worker's heartbeat and result stand."""
    old, new = two_processes
    job, _ = await old.submit(new_job(clock))
    first = await claim_one(old, clock)
    clock.advance(3600)
    second = await new.claim_job(job.id, worker_id="w2", lease_until=clock() + LEASE)
    assert second is not None
    with pytest.raises(LeaseLost):
        await old.record_progress(job.id, first.lease_token, ProgressUpdate(60))
    await new.heartbeat(job.id, second.lease_token, clock() + LEASE)
    done = await new.complete(job.id, second.lease_token, {"by": "new"})
    assert done.status is JobStatus.COMPLETED
    assert (await old.get(job.id)).result == {"by": "new"}
