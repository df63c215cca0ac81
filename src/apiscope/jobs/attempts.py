"""One attempt of a job: run its code, then record how it ended (completed, retried after a
backoff, failed for good), leaving alone a job that was cancelled or taken over meanwhile."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from pydantic import ValidationError
from pydantic_core import PydanticSerializationError, to_jsonable_python

from apiscope.errors import JobError, LeaseLost, PermanentJobFailure, StoreError, UnknownJobKind
from apiscope.jobs.changes import ChangeHub
from apiscope.jobs.clock import Clock
from apiscope.jobs.context import JobContext, call_job_code
from apiscope.jobs.metrics import JobMetrics
from apiscope.jobs.model import Job
from apiscope.jobs.registry import JobKind, JobRegistry
from apiscope.jobs.resilience import through_outage
from apiscope.jobs.retry import GiveUp, decide
from apiscope.jobs.stores.base import JobStore

log = logging.getLogger("apiscope.jobs")


class Attempts:
    """Runs attempts of jobs and records their outcomes in the store."""

    def __init__(
        self,
        store: JobStore,
        registry: JobRegistry,
        hub: ChangeHub,
        metrics: JobMetrics,
        clock: Clock,
    ) -> None:
        self._store = store
        self._registry = registry
        self._hub = hub
        self._metrics = metrics
        self._clock = clock

    async def run(self, ctx: JobContext, token: str) -> None:
        """Run one attempt to its end; never raises for the job's own errors."""
        try:
            kind = self._registry[ctx.job.kind]
            result = await self._invoke(kind, ctx)
            await self._finish(ctx, lambda: self._store.complete(ctx.job_id, token, result))
        except JobError as exc:
            await self._on_job_error(ctx, token, exc)
        except Exception as exc:
            await self._on_failure(ctx, token, exc)

    async def _invoke(self, kind: JobKind, ctx: JobContext) -> Any:
        try:
            params = kind.parse(ctx.job.params)
        except ValidationError as exc:
            raise PermanentJobFailure(f"invalid parameters: {_describe(exc)}") from exc
        call = call_job_code(kind.handler, ctx, params)
        try:
            result = await asyncio.wait_for(call, kind.timeout)
        except TimeoutError:
            # Code still running in a thread stops at its next write: recording this attempt's
            # outcome revokes its lease token.
            raise TimeoutError(f"attempt timed out after {kind.timeout:g} s") from None
        try:
            return to_jsonable_python(result)
        except PydanticSerializationError as exc:
            raise PermanentJobFailure(f"the job's result is not JSON-serialisable: {exc}") from exc

    async def _on_job_error(self, ctx: JobContext, token: str, exc: JobError) -> None:
        if isinstance(exc, LeaseLost) or ctx.cancelled:
            log.info("job %s stopped: %s", ctx.job_id, exc)
            return
        if isinstance(exc, UnknownJobKind):
            exc = PermanentJobFailure(str(exc), ctx.job_id)
        await self._on_failure(ctx, token, exc)

    async def _on_failure(self, ctx: JobContext, token: str, exc: BaseException) -> None:
        if ctx.cancelled:
            return
        kind = self._registry.get(ctx.job.kind)
        error = _describe(exc)
        decision = decide(kind.retry, ctx.attempt, exc) if kind else GiveUp("unknown kind")
        if isinstance(decision, GiveUp):
            log.warning("job %s failed (%s): %s", ctx.job_id, decision.reason, error)
            await self._finish(ctx, lambda: self._store.fail(ctx.job_id, token, error))
            return
        log.info("job %s attempt %d failed, retrying in %.1f s: %s",
                 ctx.job_id, ctx.attempt, decision.delay, error)  # fmt: skip
        run_at = self._clock() + timedelta(seconds=decision.delay)
        message = f"Attempt {ctx.attempt} failed ({error}); retrying in {decision.delay:.0f} s"
        self._metrics.retried.labels(ctx.job.kind).inc()
        await self._finish(ctx, lambda: self._store.retry(ctx.job_id, token, run_at, message))
        self._hub.job_submitted(run_at)

    async def _finish(self, ctx: JobContext, write: Callable[[], Awaitable[Job]]) -> None:
        """Write how the attempt ended; a job cancelled or taken over meanwhile is left as is."""
        try:
            job: Job = await through_outage(write)
        except LeaseLost as exc:
            log.info("job %s was not recorded as finished here: %s", ctx.job_id, exc)
            return
        except StoreError as exc:  # the lease will expire and the job be rescued: at least once
            log.error("could not record how job %s ended: %s", ctx.job_id, exc)
            return
        self.published(job)
        if job.is_terminal:
            self._metrics.observe_finished(job)

    def published(self, job: Job) -> None:
        """Tell this process's watchers about the job's new state."""
        self._hub.job_changed(job.id, job)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return f"{exc.error_count()} error(s), first at {where or 'top level'}: {first['msg']}"
    if isinstance(exc, JobError | TimeoutError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
