"""The store boundary: named, guarded transitions of the job state machine (not generic CRUD).

Each transition is atomic. Writes by an executor carry the lease token it got from `claim`; a
store raises `LeaseLost` when the token no longer owns the job (taken over, cancelled), so two
executors can never both own one job. Shared behaviour (retry decisions, metrics, notifications)
lives once in the engine around the store, not in each backend.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime, timedelta
from typing import Protocol, runtime_checkable

from apiscope.jobs.model import (
    Claimed,
    Job,
    JobPage,
    JobStatus,
    JsonValue,
    NewJob,
    ProgressUpdate,
    StepState,
    StoreStats,
)

TOMBSTONE_RETENTION = timedelta(days=30)
"""How long an expired job's id keeps answering 410 instead of 404."""


class JobStore(Protocol):
    """What every job store backend provides (conformance: tests/stores/test_contract.py)."""

    url: str
    """A display form of the store's URL, without credentials."""

    async def upgrade(self) -> None:
        """Apply pending schema migrations (`apiscope db upgrade`); safe to run concurrently."""

    async def open(self) -> None:
        """Connect and check the schema (embedded stores also apply it); `StoreError` if it is
        behind, saying to run `apiscope db upgrade`."""

    async def close(self) -> None:
        """Release connections; safe to call twice."""

    async def submit(self, new: NewJob) -> tuple[Job, bool]:
        """Create a job, or return the existing one for its (owner, idempotency key) and False."""

    async def get(self, job_id: str) -> Job:
        """The job, or `JobNotFound`, or `JobExpired` for one removed after its retention."""

    async def list_jobs(
        self,
        *,
        owner: str | None,
        limit: int,
        cursor: str | None = None,
        status: JobStatus | None = None,
        kind: str | None = None,
    ) -> JobPage:
        """Jobs newest first; `owner=None` lists every owner's."""

    async def claim(
        self, *, worker_id: str, kinds: Collection[str], limit: int, lease_until: datetime
    ) -> list[Claimed]:
        """Take up to `limit` due pending jobs of these kinds, oldest due first."""

    async def claim_job(
        self, job_id: str, *, worker_id: str, lease_until: datetime
    ) -> Claimed | None:
        """Take this one job (a queue message or an invocation names it) if it is due, or its
        lease expired (rescued first, so after its last attempt it fails instead); None when it
        is not claimable now; `JobNotFound` or `JobExpired` as for `get`."""

    async def heartbeat(self, job_id: str, token: str, lease_until: datetime) -> Job:
        """Extend the lease; `LeaseLost` if the job is no longer this executor's."""

    async def record_progress(
        self,
        job_id: str,
        token: str,
        update: ProgressUpdate,
    ) -> Job:
        """Record progress (never decreasing), message, step states and partial results."""

    async def save_checkpoint(
        self,
        job_id: str,
        token: str,
        step: str,
        output: JsonValue,
        steps: tuple[StepState, ...],
        progress: int,
    ) -> Job:
        """Store a finished step's output with the new step states, in one transaction."""

    async def load_checkpoints(self, job_id: str) -> dict[str, JsonValue]:
        """The outputs of the job's finished steps, by step name."""

    async def complete(self, job_id: str, token: str, result: JsonValue) -> Job:
        """processing → completed."""

    async def fail(self, job_id: str, token: str, error: str) -> Job:
        """processing → failed."""

    async def retry(self, job_id: str, token: str, run_at: datetime, message: str) -> Job:
        """processing → pending, due at `run_at`."""

    async def release(self, job_id: str, token: str) -> Job:
        """processing → pending at once, the attempt not counted."""

    async def cancel(self, job_id: str) -> Job:
        """pending or processing → cancelled; `InvalidTransition` if already finished."""

    async def rescue(self) -> list[Job]:
        """Jobs whose lease expired: back to pending, or failed after their last attempt."""

    async def purge(self) -> int:
        """Remove finished jobs past their retention, leaving a tombstone; returns how many."""

    async def stats(self) -> StoreStats:
        """Counts by status and the number of due pending jobs."""


@runtime_checkable
class ChangeNotifier(Protocol):
    """A store that tells every process when jobs become due or change (PostgreSQL NOTIFY).

    Stores without it are polled: the executor and watchers re-read periodically.
    """

    async def listen(
        self,
        on_due: Callable[[datetime | None], None],
        on_changed: Callable[[str], None],
        on_reconnect: Callable[[], None],
    ) -> None:
        """Until cancelled, call `on_due(at)` when jobs become due (now, or at `at`) and
        `on_changed(job_id)` when a job changed, in any process; reconnect on failure, then call
        `on_reconnect()`, since notifications sent meanwhile are lost."""
