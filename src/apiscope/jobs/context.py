"""What job code sees of its job: progress, checkpoints, cancellation, and off-loop execution.

Cancellation is cooperative. A cancel (or a lost lease) is noticed by the heartbeat or by the
next write, after which `progress`, `check_cancelled` and checkpoints raise `JobCancelled` (or
`LeaseLost`), so job code stops at its next call without any try/except of its own.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import time
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import Executor
from typing import Any, Protocol, TypeVar

from pydantic_core import to_jsonable_python

from apiscope.errors import JobCancelled, JobError, LeaseLost
from apiscope.jobs.model import Job, JobStatus, JsonValue, ProgressUpdate, StepState
from apiscope.jobs.resilience import through_outage
from apiscope.jobs.stores.base import JobStore

T = TypeVar("T")
PROGRESS_INTERVAL = 0.2
"""Seconds between two stored progress updates that carry no new message."""


class Context(Protocol):
    """What async job and step code get: `JobContext`, or a pipeline's `StepContext`."""

    @property
    def job_id(self) -> str: ...

    @property
    def cancelled(self) -> bool: ...

    def check_cancelled(self) -> None: ...

    async def progress(
        self,
        percent: float,
        message: str | None = None,
        *,
        partial: dict[str, JsonValue] | None = None,
    ) -> None: ...


class JobContext:
    """Handed to async job code; one per attempt."""

    def __init__(
        self,
        job: Job,
        token: str,
        store: JobStore,
        *,
        checkpoints: Mapping[str, JsonValue],
        on_change: Callable[[Job], None],
        process_pool: Callable[[], Executor],
    ) -> None:
        self.job = job
        self._token = token
        self._store = store
        self._checkpoints = dict(checkpoints)
        self._on_change = on_change
        self._process_pool = process_pool
        self._stopped: JobError | None = None
        self._last_write = 0.0
        self._message = job.message
        self.steps: tuple[StepState, ...] = job.steps

    @property
    def job_id(self) -> str:
        """The job's id."""
        return self.job.id

    @property
    def attempt(self) -> int:
        """This attempt's number, 1-based."""
        return self.job.attempts

    @property
    def checkpoints(self) -> Mapping[str, JsonValue]:
        """Outputs of steps finished by this or an earlier attempt."""
        return self._checkpoints

    @property
    def cancelled(self) -> bool:
        """Whether the job was cancelled (or its lease lost) and should stop."""
        return self._stopped is not None

    def stop(self, reason: JobError) -> None:
        """Engine side: make the job's next call raise `reason`."""
        if self._stopped is None:
            self._stopped = reason

    def check_cancelled(self) -> None:
        """Raise `JobCancelled` (or `LeaseLost`) if the job must stop; no I/O."""
        if self._stopped is not None:
            raise self._stopped

    async def _write(self, write: Callable[[], Awaitable[Job]]) -> None:
        try:
            job = await through_outage(write)
        except LeaseLost as exc:
            self.stop(stop_reason(exc, self.job_id))
            raise self._stopped from exc  # type: ignore[misc]
        self.job = job
        self._last_write = time.monotonic()
        self._on_change(job)

    async def progress(
        self,
        percent: float,
        message: str | None = None,
        *,
        partial: dict[str, JsonValue] | None = None,
    ) -> None:
        """Report overall progress (0-100, never lower than before), what is happening, and
        optionally partial results (merged key by key) for clients to show before the end."""
        await self._progress(ProgressUpdate(int(percent), message, partial=partial))

    async def _progress(self, update: ProgressUpdate, force: bool = False) -> None:
        self.check_cancelled()
        quiet = not force and update.partial is None
        quiet = quiet and update.message in (None, self._message)
        recent = time.monotonic() - self._last_write < PROGRESS_INTERVAL
        if quiet and update.progress < 100 and recent:
            return
        if update.message is not None:
            self._message = update.message
        await self._write(lambda: self._store.record_progress(self.job_id, self._token, update))

    async def update_steps(
        self,
        steps: tuple[StepState, ...],
        percent: int,
        message: str | None = None,
        *,
        partial: dict[str, JsonValue] | None = None,
        force: bool = False,
    ) -> None:
        """Record step states with the overall progress; `force` skips the rate limit."""
        self.steps = steps
        await self._progress(ProgressUpdate(percent, message, steps, partial), force)

    async def checkpoint(
        self, step: str, output: Any, steps: tuple[StepState, ...], percent: int
    ) -> JsonValue:
        """Store a finished step's output so a retry resumes after it; returns it as JSON."""
        self.check_cancelled()
        value = to_jsonable_python(output)
        self.steps = steps
        await self._write(
            lambda: self._store.save_checkpoint(
                self.job_id, self._token, step, value, steps, percent
            )
        )
        self._checkpoints[step] = value
        return value

    async def run_in_thread(self, fn: Callable[..., T], *args: Any) -> T:
        """Run blocking code in a thread; heartbeats and status requests go on meanwhile."""
        return await asyncio.to_thread(fn, *args)

    async def run_in_process(self, fn: Callable[..., T], *args: Any) -> T:
        """Run CPU-heavy code (a picklable function) in a worker process, off the GIL."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._process_pool(), functools.partial(fn, *args))


def stop_reason(exc: LeaseLost, job_id: str) -> JobError:
    """What job code sees when its write was refused: `JobCancelled` if cancelled."""
    if exc.status == JobStatus.CANCELLED:
        return JobCancelled("Job was cancelled", job_id)
    return exc


class ContextView:
    """A view onto another context: the same job id and cancellation state."""

    def __init__(self, context: Context) -> None:
        self.context = context

    @property
    def job_id(self) -> str:
        """The job's id."""
        return self.context.job_id

    @property
    def cancelled(self) -> bool:
        """Whether the job should stop."""
        return self.context.cancelled

    def check_cancelled(self) -> None:
        """Raise `JobCancelled` if the job must stop."""
        self.context.check_cancelled()


class SyncContext(ContextView):
    """The same context for plain (non-async) job or step code running in a worker thread."""

    def __init__(self, context: Context, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__(context)
        self.loop = loop

    def progress(
        self,
        percent: float,
        message: str | None = None,
        *,
        partial: dict[str, JsonValue] | None = None,
    ) -> None:
        """Report progress from the thread; returns once it is stored."""
        report = self.context.progress(percent, message, partial=partial)
        asyncio.run_coroutine_threadsafe(report, self.loop).result()


async def call_job_code(fn: Callable[..., Any], ctx: Context, arg: Any) -> Any:
    """Await async code on the loop; run plain code in a thread with a `SyncContext`."""
    if is_async_callable(fn):
        return await fn(ctx, arg)
    sync = SyncContext(ctx, asyncio.get_running_loop())
    return await asyncio.to_thread(fn, sync, arg)


def is_async_callable(fn: object) -> bool:
    """Whether calling `fn` gives an awaitable: an async function or an object with one."""
    return inspect.iscoroutinefunction(fn) or inspect.iscoroutinefunction(type(fn).__call__)
