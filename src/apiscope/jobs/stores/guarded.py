"""The single-job transitions every store offers, written once: a store supplies only
`_transition`, its atomic way to read a job, apply a pure transition and write the result."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import datetime, timedelta

from apiscope.jobs import transitions
from apiscope.jobs.model import Job, JsonValue, ProgressUpdate

Change = Callable[[Job, datetime], Job]
"""A pure transition given the job and the store's current time."""


class GuardedTransitions(ABC):
    """Mixin: heartbeat, progress, complete, fail, retry, release and cancel for one job."""

    _retention: timedelta

    @abstractmethod
    async def _transition(self, job_id: str, change: Change) -> Job:
        """Atomically: read the job, apply `change`, store the result, return it."""

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
