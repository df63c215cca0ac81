"""The single-job transitions every store offers, written once: a store supplies only
`_transition`, its atomic way to read a job, apply a pure transition and write the result."""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import datetime, timedelta

from apiscope.jobs import transitions
from apiscope.jobs.model import Claimed, Job, JsonValue, ProgressUpdate

Change = Callable[[Job, datetime], Job]
"""A pure transition given the job and the store's current time."""


class GuardedTransitions(ABC):
    """Mixin: claim one job, heartbeat, progress, complete, fail, retry, release and cancel."""

    _retention: timedelta

    @abstractmethod
    async def _transition(self, job_id: str, change: Change) -> Job:
        """Atomically: read the job, apply `change`, store the result, return it."""

    async def claim_job(
        self, job_id: str, *, worker_id: str, lease_until: datetime
    ) -> Claimed | None:
        token = uuid.uuid4().hex
        job = await self._transition(
            job_id, lambda job, now: _taken(job, token, now, lease_until, self._retention)
        )
        return Claimed(job, token) if job.lease_token == token else None

    async def heartbeat(self, job_id: str, token: str, lease_until: datetime) -> Job:
        return await self._transition(
            job_id, lambda job, _: transitions.heartbeat(job, token, lease_until)
        )

    async def record_progress(
        self,
        job_id: str,
        token: str,
        update: ProgressUpdate,
    ) -> Job:
        return await self._transition(
            job_id,
            lambda job, now: transitions.progressed(job, token, now, update),
        )

    async def complete(self, job_id: str, token: str, result: JsonValue) -> Job:
        return await self._transition(
            job_id, lambda job, now: transitions.completed(job, token, now, result, self._retention)
        )

    async def fail(self, job_id: str, token: str, error: str) -> Job:
        return await self._transition(
            job_id,
            lambda job, now: transitions.failed_by_owner(job, token, now, error, self._retention),
        )

    async def retry(self, job_id: str, token: str, run_at: datetime, message: str) -> Job:
        return await self._transition(
            job_id, lambda job, now: transitions.retried(job, token, now, run_at, message)
        )

    async def release(self, job_id: str, token: str) -> Job:
        return await self._transition(
            job_id, lambda job, now: transitions.released(job, token, now)
        )

    async def cancel(self, job_id: str) -> Job:
        return await self._transition(
            job_id, lambda job, now: transitions.cancelled(job, now, self._retention)
        )


def _taken(job: Job, token: str, now: datetime, lease_until: datetime, retention: timedelta) -> Job:
    """`claim_job`'s transition: an expired lease is rescued first (failing the job after its last
    attempt); a due pending job is then claimed; any other job is returned unchanged."""
    if transitions.lease_expired(job, now):
        job = transitions.rescued(job, now, retention)
    if transitions.is_due(job, now):
        return transitions.claimed(job, token, now, lease_until)
    return job
