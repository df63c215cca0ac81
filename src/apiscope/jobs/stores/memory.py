"""An in-memory store: the engine's fast unit tests and `memory://` for throwaway runs.

It applies the same pure transitions as every other store; an asyncio lock stands in for a
transaction. Nothing survives the process.
"""

from __future__ import annotations

import heapq
import uuid
from collections.abc import Collection
from datetime import datetime, timedelta

from apiscope.errors import IdempotencyConflict, JobExpired, JobNotFound
from apiscope.jobs import transitions
from apiscope.jobs.clock import Clock, utcnow
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
from apiscope.jobs.stores.base import TOMBSTONE_RETENTION
from apiscope.jobs.stores.guarded import Change, GuardedTransitions
from apiscope.jobs.stores.paging import decode_cursor, encode_cursor


class MemoryStore(GuardedTransitions):
    """A `JobStore` kept in a dict."""

    url = "memory://"

    def __init__(self, *, retention: timedelta = timedelta(days=7), clock: Clock = utcnow) -> None:
        self._retention = retention
        self._clock = clock
        self._jobs: dict[str, Job] = {}
        self._pending: dict[str, Job] = {}
        self._queue: list[tuple[datetime, datetime, str]] = []
        """A heap of (run_at, created_at, id) over the pending jobs, so a claim takes the next
        due jobs without looking at every job kept; entries of jobs since taken or rescheduled
        are dropped as they surface."""
        self._checkpoints: dict[str, dict[str, JsonValue]] = {}
        self._tombstones: dict[str, datetime] = {}

    async def upgrade(self) -> None:
        """No schema to migrate."""

    async def open(self) -> None:
        """Nothing to connect to."""

    async def close(self) -> None:
        """Nothing to release."""

    async def submit(self, new: NewJob) -> tuple[Job, bool]:
        if new.idempotency_key is not None:
            for job in self._jobs.values():
                if (job.owner, job.idempotency_key) == (new.owner, new.idempotency_key):
                    if job.fingerprint != new.fingerprint:
                        raise IdempotencyConflict(
                            "Idempotency-Key already used for a different request", job.id
                        )
                    return job, False
        return self._put(transitions.created(new)), True

    async def get(self, job_id: str) -> Job:
        job = self._jobs.get(job_id)
        if job is not None:
            return transitions.ensure_not_expired(job, self._clock())
        if job_id in self._tombstones:
            raise JobExpired("Job expired", job_id)
        raise JobNotFound("Job not found", job_id)

    async def list_jobs(
        self,
        *,
        owner: str | None,
        limit: int,
        cursor: str | None = None,
        status: JobStatus | None = None,
        kind: str | None = None,
    ) -> JobPage:
        after = decode_cursor(cursor) if cursor else None
        rows = sorted(self._jobs.values(), key=lambda j: (j.created_at, j.id), reverse=True)
        rows = [
            j
            for j in rows
            if (owner is None or j.owner == owner)
            and (status is None or j.status is status)
            and (kind is None or j.kind == kind)
            and (after is None or (j.created_at, j.id) < after)
            and (j.expires_at is None or j.expires_at > self._clock())
        ]
        page = tuple(rows[:limit])
        next_cursor = encode_cursor(page[-1]) if len(rows) > limit else None
        return JobPage(page, next_cursor)

    async def claim(
        self, *, worker_id: str, kinds: Collection[str], limit: int, lease_until: datetime
    ) -> list[Claimed]:
        now = self._clock()
        due: dict[str, Job] = {}
        other_kinds = []
        while self._queue and len(due) < limit and self._queue[0][0] <= now:
            entry = heapq.heappop(self._queue)
            job = self._pending.get(entry[2])
            if job is None or job.run_at != entry[0] or job.id in due:
                continue  # taken, finished or rescheduled since it was queued; or a twin entry
            if job.kind in kinds:
                due[job.id] = job
            else:
                other_kinds.append(entry)
        for entry in other_kinds:
            heapq.heappush(self._queue, entry)
        token = uuid.uuid4().hex
        return [
            Claimed(self._put(transitions.claimed(job, token, now, lease_until)), token)
            for job in due.values()
        ]

    def _put(self, job: Job) -> Job:
        self._jobs[job.id] = job
        if job.status is JobStatus.PENDING:
            queued = self._pending.get(job.id)
            if queued is None or queued.run_at != job.run_at:
                heapq.heappush(self._queue, (job.run_at, job.created_at, job.id))
            self._pending[job.id] = job
        else:
            self._pending.pop(job.id, None)
        return job

    async def _transition(self, job_id: str, change: Change) -> Job:
        return self._put(change(await self.get(job_id), self._clock()))

    async def save_checkpoint(
        self,
        job_id: str,
        token: str,
        step: str,
        output: JsonValue,
        steps: tuple[StepState, ...],
        progress: int,
    ) -> Job:
        job = await self.record_progress(job_id, token, ProgressUpdate(progress, steps=steps))
        self._checkpoints.setdefault(job_id, {})[step] = output
        return job

    async def load_checkpoints(self, job_id: str) -> dict[str, JsonValue]:
        return dict(self._checkpoints.get(job_id, {}))

    async def rescue(self) -> list[Job]:
        now = self._clock()
        expired = [j for j in self._jobs.values() if transitions.lease_expired(j, now)]
        return [self._put(transitions.rescued(j, now, self._retention)) for j in expired]

    async def purge(self) -> int:
        now = self._clock()
        gone = [
            j.id for j in self._jobs.values() if j.expires_at is not None and j.expires_at <= now
        ]
        for job_id in gone:
            del self._jobs[job_id]
            self._pending.pop(job_id, None)
            self._checkpoints.pop(job_id, None)
            self._tombstones[job_id] = now
        for job_id, when in list(self._tombstones.items()):
            if when + TOMBSTONE_RETENTION <= now:
                del self._tombstones[job_id]
        return len(gone)

    async def stats(self) -> StoreStats:
        now = self._clock()
        counts = dict.fromkeys(JobStatus, 0)
        for job in self._jobs.values():
            counts[job.status] += 1
        due = sum(1 for j in self._pending.values() if transitions.is_due(j, now))
        return StoreStats(counts, due)
