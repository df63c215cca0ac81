"""In-process change notifications, so watchers (SSE, the bounded synchronous endpoint) wake
at once on a local change instead of polling; changes made by other processes are still seen
through the watchers' slow fallback poll."""

from __future__ import annotations

import asyncio
import contextlib


class ChangeHub:
    """Wakes coroutines waiting for a job to change; lives on one event loop."""

    def __init__(self) -> None:
        self._waiters: dict[str, asyncio.Event] = {}
        self._submitted = asyncio.Event()

    def job_changed(self, job_id: str) -> None:
        """Wake everyone waiting on this job."""
        event = self._waiters.pop(job_id, None)
        if event is not None:
            event.set()

    async def wait_for_change(self, job_id: str, timeout: float) -> None:
        """Return when the job changes, or after `timeout` seconds at the latest."""
        event = self._waiters.setdefault(job_id, asyncio.Event())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout)

    def job_submitted(self) -> None:
        """Wake the executor: there is new work."""
        self._submitted.set()

    async def wait_for_work(self, timeout: float) -> None:
        """Return when a job was submitted, or after `timeout` seconds."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._submitted.wait(), timeout)
        self._submitted.clear()
