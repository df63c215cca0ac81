"""The store contract: every JobStore backend must pass these unchanged."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest

from apiscope.errors import (
    IdempotencyConflict,
    InvalidTransition,
    JobExpired,
    JobNotFound,
    LeaseLost,
)
from apiscope.jobs.model import JobStatus, NewJob, ProgressUpdate, StepState, StepStatus
from apiscope.jobs.stores import JobStore
from apiscope.jobs.stores.base import TOMBSTONE_RETENTION
from tests.conftest import FakeClock
from tests.stores.conftest import RETENTION

LEASE = timedelta(seconds=30)
STEPS = (StepState("fetch"), StepState("analyse"))


def new_job(clock: FakeClock, kind: str = "k", **changes: object) -> NewJob:
    fields: dict[str, object] = {
        "id": str(uuid.uuid4()),
        "kind": kind,
        "params": {"n": 1},
        "max_attempts": 2,
        "run_at": clock(),
        "created_at": clock(),
        "steps": STEPS,
    }
    fields.update(changes)
    return NewJob(**fields)  # type: ignore[arg-type]


async def claim_one(store: JobStore, clock: FakeClock, kinds: tuple[str, ...] = ("k",)):
    claimed = await store.claim(worker_id="w", kinds=kinds, limit=1, lease_until=clock() + LEASE)
    assert len(claimed) == 1
    return claimed[0]


async def test_submit_then_get_returns_a_pending_job(store: JobStore, clock: FakeClock) -> None:
    """A new job is pending at 0 % with its parameters and steps as submitted."""
    job, created = await store.submit(new_job(clock))
    assert created
    got = await store.get(job.id)
    assert (got.status, got.progress, got.params, got.steps) == (
        JobStatus.PENDING,
        0,
        {"n": 1},
        STEPS,
    )
    assert got.created_at == clock() and got.attempts == 0


async def test_unknown_id_is_not_found(store: JobStore) -> None:
    """An id never stored raises JobNotFound, whatever its shape."""
    for job_id in (str(uuid.uuid4()), "not-a-uuid", "", "'; DROP TABLE jobs; --"):
        with pytest.raises(JobNotFound):
            await store.get(job_id)


async def test_idempotency_key_returns_the_same_job(store: JobStore, clock: FakeClock) -> None:
    """The same (owner, key) and request gives back the first job, not a second one."""
    first, created = await store.submit(new_job(clock, idempotency_key="abc", fingerprint="f1"))
    again, created_again = await store.submit(
        new_job(clock, idempotency_key="abc", fingerprint="f1")
    )
    assert created and not created_again and again.id == first.id
    other_owner, created_other = await store.submit(
        new_job(clock, idempotency_key="abc", fingerprint="f1", owner="someone")
    )
    assert created_other and other_owner.id != first.id


async def test_idempotency_key_with_a_different_request_conflicts(
    store: JobStore, clock: FakeClock
) -> None:
    """Reusing a key for different parameters is refused rather than silently merged."""
    await store.submit(new_job(clock, idempotency_key="abc", fingerprint="f1"))
    with pytest.raises(IdempotencyConflict):
        await store.submit(new_job(clock, idempotency_key="abc", fingerprint="f2"))


async def test_claim_takes_due_jobs_of_known_kinds_oldest_first(
    store: JobStore, clock: FakeClock
) -> None:
    """Claims skip other kinds and future jobs, and start the job with a lease."""
    older, _ = await store.submit(new_job(clock))
    clock.advance(1)
    await store.submit(new_job(clock, kind="other"))
    await store.submit(new_job(clock, run_at=clock() + timedelta(minutes=5)))
    newer, _ = await store.submit(new_job(clock))
    claimed = await store.claim(worker_id="w", kinds=["k"], limit=5, lease_until=clock() + LEASE)
    assert [c.job.id for c in claimed] == [older.id, newer.id]
    job = claimed[0].job
    assert job.status is JobStatus.PROCESSING and job.attempts == 1
    assert job.lease_expires_at == clock() + LEASE and job.started_at == clock()


async def test_a_job_is_claimed_by_one_executor_only(store: JobStore, clock: FakeClock) -> None:
    """Concurrent claims never hand out the same job twice."""
    ids = {(await store.submit(new_job(clock)))[0].id for _ in range(20)}
    batches = await asyncio.gather(
        *(
            store.claim(worker_id=f"w{i}", kinds=["k"], limit=3, lease_until=clock() + LEASE)
            for i in range(10)
        )
    )
    claimed = [c.job.id for batch in batches for c in batch]
    assert sorted(claimed) == sorted(ids)


async def test_progress_never_decreases_and_is_clamped(store: JobStore, clock: FakeClock) -> None:
    """A lower or out-of-range percentage cannot move progress backwards or past 100."""
    await store.submit(new_job(clock))
    c = await claim_one(store, clock)
    job = await store.record_progress(c.job.id, c.lease_token, ProgressUpdate(40, "Working"))
    assert (job.progress, job.message) == (40, "Working")
    job = await store.record_progress(c.job.id, c.lease_token, ProgressUpdate(10))
    assert (job.progress, job.message) == (40, "Working")
    job = await store.record_progress(c.job.id, c.lease_token, ProgressUpdate(250))
    assert job.progress == 100
    assert (await store.get(c.job.id)).version == job.version


async def test_writes_with_a_stale_lease_token_are_refused(
    store: JobStore, clock: FakeClock
) -> None:
    """Only the executor holding the current lease may write; others get LeaseLost."""
    await store.submit(new_job(clock))
    c = await claim_one(store, clock)
    wrong = "not-the-token"
    for write in (
        store.record_progress(c.job.id, wrong, ProgressUpdate(50)),
        store.heartbeat(c.job.id, wrong, clock() + LEASE),
        store.complete(c.job.id, wrong, {}),
        store.fail(c.job.id, wrong, "x"),
        store.retry(c.job.id, wrong, clock(), "x"),
        store.release(c.job.id, wrong),
        store.save_checkpoint(c.job.id, wrong, "fetch", 1, STEPS, 10),
    ):
        with pytest.raises(LeaseLost):
            await write
    assert (await store.get(c.job.id)).status is JobStatus.PROCESSING


async def test_complete_records_the_result_and_finishes_steps(
    store: JobStore, clock: FakeClock
) -> None:
    """Completion sets 100 %, the result, the finish time and an expiry after the retention."""
    await store.submit(new_job(clock))
    c = await claim_one(store, clock)
    clock.advance(5)
    job = await store.complete(c.job.id, c.lease_token, {"answer": 42})
    assert (
        job.status is JobStatus.COMPLETED and job.progress == 100 and job.result == {"answer": 42}
    )
    assert job.finished_at == clock() and job.expires_at == clock() + RETENTION
    assert all(s.status is StepStatus.COMPLETED for s in job.steps)
    assert await store.get(job.id) == job
    with pytest.raises(LeaseLost):
        await store.complete(c.job.id, c.lease_token, {})


async def test_fail_records_the_error(store: JobStore, clock: FakeClock) -> None:
    """A failed job keeps its error message and marks the running step failed."""
    await store.submit(new_job(clock))
    c = await claim_one(store, clock)
    steps = (StepState("fetch", StepStatus.PROCESSING, 30), StepState("analyse"))
    await store.record_progress(c.job.id, c.lease_token, ProgressUpdate(10, "Fetching", steps))
    job = await store.fail(c.job.id, c.lease_token, "boom")
    assert (job.status, job.error) == (JobStatus.FAILED, "boom")
    assert job.steps[0].status is StepStatus.FAILED


async def test_retry_returns_the_job_to_pending_later(store: JobStore, clock: FakeClock) -> None:
    """A retried job is pending, not claimable before its run_at, then claimable again."""
    await store.submit(new_job(clock))
    c = await claim_one(store, clock)
    job = await store.retry(c.job.id, c.lease_token, clock() + timedelta(seconds=10), "again")
    assert job.status is JobStatus.PENDING and job.lease_token is None
    assert await store.claim(worker_id="w", kinds=["k"], limit=1, lease_until=clock() + LEASE) == []
    clock.advance(10)
    second = await claim_one(store, clock)
    assert second.job.attempts == 2 and second.lease_token != c.lease_token


async def test_checkpoints_survive_a_retry(store: JobStore, clock: FakeClock) -> None:
    """Finished steps' outputs stay stored, and their step state stays completed, across a retry."""
    await store.submit(new_job(clock))
    c = await claim_one(store, clock)
    steps = (
        StepState("fetch", StepStatus.COMPLETED, 100),
        StepState("analyse", StepStatus.PROCESSING, 10),
    )
    job = await store.save_checkpoint(
        c.job.id, c.lease_token, "fetch", {"sha": "abc", "n": [1, 2]}, steps, 50
    )
    assert job.progress == 50 and job.steps == steps
    await store.retry(c.job.id, c.lease_token, clock(), "again")
    assert await store.load_checkpoints(c.job.id) == {"fetch": {"sha": "abc", "n": [1, 2]}}
    resumed = (await store.get(c.job.id)).steps
    assert resumed == (StepState("fetch", StepStatus.COMPLETED, 100), StepState("analyse"))


async def test_release_does_not_count_the_attempt(store: JobStore, clock: FakeClock) -> None:
    """A job released by a stopping worker is pending at once with its attempt given back."""
    await store.submit(new_job(clock))
    c = await claim_one(store, clock)
    job = await store.release(c.job.id, c.lease_token)
    assert job.status is JobStatus.PENDING and job.attempts == 0


async def test_cancel_pending_and_processing_but_not_finished(
    store: JobStore, clock: FakeClock
) -> None:
    """Cancel works on active jobs; on a finished one it is an invalid transition (HTTP 409)."""
    pending, _ = await store.submit(new_job(clock))
    assert (await store.cancel(pending.id)).status is JobStatus.CANCELLED
    await store.submit(new_job(clock))
    c = await claim_one(store, clock)
    cancelled = await store.cancel(c.job.id)
    assert cancelled.status is JobStatus.CANCELLED and cancelled.finished_at == clock()
    with pytest.raises(LeaseLost) as lost:
        await store.record_progress(c.job.id, c.lease_token, ProgressUpdate(90))
    assert lost.value.status == JobStatus.CANCELLED
    with pytest.raises(InvalidTransition):
        await store.cancel(c.job.id)


async def test_rescue_retries_then_fails_jobs_whose_lease_expired(
    store: JobStore, clock: FakeClock
) -> None:
    """A dead executor's job returns to pending while attempts remain, then fails with a reason."""
    await store.submit(new_job(clock))
    await claim_one(store, clock)
    assert await store.rescue() == []
    clock.advance(LEASE.total_seconds() + 1)
    [rescued] = await store.rescue()
    assert rescued.status is JobStatus.PENDING
    await claim_one(store, clock)
    clock.advance(LEASE.total_seconds() + 1)
    [final] = await store.rescue()
    assert final.status is JobStatus.FAILED and "stopped responding" in (final.error or "")


async def test_heartbeat_keeps_the_lease_alive(store: JobStore, clock: FakeClock) -> None:
    """A job whose executor heartbeats is never rescued."""
    await store.submit(new_job(clock))
    c = await claim_one(store, clock)
    for _ in range(5):
        clock.advance(20)
        await store.heartbeat(c.job.id, c.lease_token, clock() + LEASE)
        assert await store.rescue() == []


async def test_purge_leaves_a_tombstone_that_answers_expired(
    store: JobStore, clock: FakeClock
) -> None:
    """After the retention a finished job is gone but known as expired, then forgotten."""
    done, _ = await store.submit(new_job(clock))
    c = await claim_one(store, clock)
    await store.complete(c.job.id, c.lease_token, {})
    active, _ = await store.submit(new_job(clock))
    assert await store.purge() == 0
    clock.advance(RETENTION.total_seconds())
    with pytest.raises(JobExpired):  # already past its retention, before any purge
        await store.get(done.id)
    assert [j.id for j in (await store.list_jobs(owner=None, limit=5)).jobs] == [active.id]
    assert await store.purge() == 1
    with pytest.raises(JobExpired):
        await store.get(done.id)
    assert (await store.get(active.id)).status is JobStatus.PENDING
    clock.advance(TOMBSTONE_RETENTION.total_seconds())
    await store.purge()
    with pytest.raises(JobNotFound):
        await store.get(done.id)


async def test_list_is_newest_first_paginated_and_filtered(
    store: JobStore, clock: FakeClock
) -> None:
    """Pages follow each other without gaps or repeats; owner, status and kind filter."""
    ids = []
    for i in range(7):
        clock.advance(1)
        job, _ = await store.submit(new_job(clock, owner="a" if i % 2 == 0 else "b"))
        ids.append(job.id)
    seen, cursor = [], None
    while True:
        page = await store.list_jobs(owner=None, limit=3, cursor=cursor)
        seen += [j.id for j in page.jobs]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == ids[::-1]
    mine = await store.list_jobs(owner="a", limit=10)
    assert [j.id for j in mine.jobs] == ids[::-2] and mine.next_cursor is None
    assert (await store.list_jobs(owner=None, limit=10, status=JobStatus.COMPLETED)).jobs == ()
    assert (await store.list_jobs(owner=None, limit=10, kind="other")).jobs == ()


async def test_stats_count_jobs_by_status_and_due(store: JobStore, clock: FakeClock) -> None:
    """Metrics read counts by status and the number of due pending jobs."""
    await store.submit(new_job(clock))
    await store.submit(new_job(clock))
    await store.submit(new_job(clock, run_at=clock() + timedelta(hours=1)))
    await claim_one(store, clock)
    stats = await store.stats()
    assert stats.by_status[JobStatus.PENDING] == 2 and stats.by_status[JobStatus.PROCESSING] == 1
    assert stats.due == 1


async def test_unicode_and_nested_json_round_trip(store: JobStore, clock: FakeClock) -> None:
    """Parameters and results keep their exact JSON values."""
    params = {"name": "Zoë ✓", "nested": {"list": [1, 2.5, None, True]}, "empty": {}}
    job, _ = await store.submit(new_job(clock, params=params))
    c = await claim_one(store, clock)
    await store.complete(job.id, c.lease_token, [params])
    got = await store.get(job.id)
    assert got.params == params and got.result == [params]


async def test_partial_results_merge_key_by_key(store: JobStore, clock: FakeClock) -> None:
    """Each report adds or replaces its keys; a report without partial results keeps them."""
    await store.submit(new_job(clock))
    c = await claim_one(store, clock)
    await store.record_progress(c.job.id, c.lease_token, ProgressUpdate(10, partial={"routes": 3}))
    await store.record_progress(
        c.job.id, c.lease_token, ProgressUpdate(20, partial={"matched": [1]})
    )
    job = await store.record_progress(c.job.id, c.lease_token, ProgressUpdate(30))
    assert job.partial == {"routes": 3, "matched": [1]}
    assert (await store.get(c.job.id)).partial == {"routes": 3, "matched": [1]}


async def test_claim_job_takes_the_named_job_once(store: JobStore, clock: FakeClock) -> None:
    """claim_job takes that one due job with a lease; while the lease lives nobody else gets it."""
    other, _ = await store.submit(new_job(clock))
    job, _ = await store.submit(new_job(clock))
    claimed = await store.claim_job(job.id, worker_id="w", lease_until=clock() + LEASE)
    assert claimed is not None and claimed.job.id == job.id
    assert claimed.job.status is JobStatus.PROCESSING and claimed.job.attempts == 1
    assert claimed.job.lease_expires_at == clock() + LEASE
    assert claimed.job.lease_token == claimed.lease_token
    assert await store.claim_job(job.id, worker_id="w2", lease_until=clock() + LEASE) is None
    rest = await store.claim(worker_id="w3", kinds=["k"], limit=5, lease_until=clock() + LEASE)
    assert [c.job.id for c in rest] == [other.id]


async def test_claim_job_leaves_future_finished_and_unknown_jobs(
    store: JobStore, clock: FakeClock
) -> None:
    """A job not yet due or already finished is left as it is; an unknown id is JobNotFound."""
    later, _ = await store.submit(new_job(clock, run_at=clock() + timedelta(minutes=5)))
    assert await store.claim_job(later.id, worker_id="w", lease_until=clock() + LEASE) is None
    assert await store.get(later.id) == later
    await store.cancel(later.id)
    clock.advance(600)
    assert await store.claim_job(later.id, worker_id="w", lease_until=clock() + LEASE) is None
    assert (await store.get(later.id)).status is JobStatus.CANCELLED
    with pytest.raises(JobNotFound):
        await store.claim_job(str(uuid.uuid4()), worker_id="w", lease_until=clock() + LEASE)


async def test_a_job_back_to_pending_is_claimed_once(store: JobStore, clock: FakeClock) -> None:
    """Taken by id, rescued after its lease lapsed, then released: each time it is back in
    the queue once, and a claim of many takes it once."""
    job, _ = await store.submit(new_job(clock))
    assert await store.claim_job(job.id, worker_id="w", lease_until=clock() + LEASE) is not None
    clock.advance(LEASE.total_seconds() + 1)
    [rescued] = await store.rescue()
    assert rescued.status is JobStatus.PENDING
    clock.advance(3600)  # past any retry backoff
    claimed = await store.claim(worker_id="w", kinds=["k"], limit=5, lease_until=clock() + LEASE)
    assert [c.job.id for c in claimed] == [job.id]
    await store.release(job.id, claimed[0].lease_token)
    again = await store.claim(worker_id="w", kinds=["k"], limit=5, lease_until=clock() + LEASE)
    assert [c.job.id for c in again] == [job.id]


async def test_claim_job_takes_over_an_expired_lease_then_fails_after_the_last_attempt(
    store: JobStore, clock: FakeClock
) -> None:
    """A job whose executor died is taken over, and failed with a reason once attempts are spent."""
    job, _ = await store.submit(new_job(clock))
    first = await store.claim_job(job.id, worker_id="w", lease_until=clock() + LEASE)
    assert first is not None
    clock.advance(LEASE.total_seconds() + 1)
    second = await store.claim_job(job.id, worker_id="w", lease_until=clock() + LEASE)
    assert second is not None and second.job.attempts == 2
    with pytest.raises(LeaseLost):
        await store.record_progress(job.id, first.lease_token, ProgressUpdate(5))
    clock.advance(LEASE.total_seconds() + 1)
    assert await store.claim_job(job.id, worker_id="w", lease_until=clock() + LEASE) is None
    failed = await store.get(job.id)
    assert failed.status is JobStatus.FAILED and "stopped responding" in (failed.error or "")
