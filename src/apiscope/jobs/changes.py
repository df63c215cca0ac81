"""Change notifications inside one process, so watchers (SSE, the bounded synchronous endpoint)
and the executor wake at once instead of polling.

Changes made here carry the new snapshot, so a thousand watchers of one job cost no reads.
Changes made by other processes arrive through the store's notifications where it has them
(PostgreSQL LISTEN/NOTIFY): one read per change per process, shared by every watcher. Without
notifications, watchers fall back to a periodic re-read.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime

from apiscope.jobs.clock import utcnow
from apiscope.jobs.model import Job


class ChangeHub:
    """Wakes coroutines waiting for a job to change; lives on one event loop."""

    def __init__(self) -> None:
        self._waiters: dict[str, asyncio.Future[Job | None]] = {}
        self._submitted = asyncio.Event()

    def job_changed(self, job_id: str, job: Job | None = None) -> None:
        """Wake everyone waiting on this job, handing them `job` if the new state is known."""
        waiter = self._waiters.pop(job_id, None)
        if waiter is not None and not waiter.done():
            waiter.set_result(job)

    def watched(self) -> list[str]:
        """Ids of the jobs someone is waiting on now."""
        return list(self._waiters)

    def wake_all(self) -> None:
        """Wake every watcher to re-read (after notifications may have been missed)."""
        for job_id in self.watched():
            self.job_changed(job_id)

    async def next_change(self, job_id: str, timeout: float) -> Job | None:
        """The job's next state if known; None if it changed unseen or `timeout` passed."""
        waiter = self._waiters.get(job_id)
        if waiter is None or waiter.done():
            waiter = asyncio.get_running_loop().create_future()
            self._waiters[job_id] = waiter
        with contextlib.suppress(TimeoutError):
            # shield: one watcher timing out must not cancel the future the others share.
            return await asyncio.wait_for(asyncio.shield(waiter), timeout)
        return None

    def job_submitted(self, due_at: datetime | None = None) -> None:
        """Wake the executor: there is new work, due now or at `due_at` (a retry's backoff)."""
        delay = 0.0 if due_at is None else (due_at - utcnow()).total_seconds()
        if delay > 0:
            asyncio.get_running_loop().call_later(delay, self._submitted.set)
        else:
            self._submitted.set()

    async def wait_for_work(self, timeout: float) -> None:
        """Return when a job was submitted, or after `timeout` seconds."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._submitted.wait(), timeout)
        self._submitted.clear()
