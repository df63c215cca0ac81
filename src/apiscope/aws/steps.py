"""The step function of the Step Functions shape: each Task of the state machine runs one step of
a job (a kind that is not a pipeline is one step, `run`), and the Catch state fails the job.

The job stays `processing` across its Tasks: each Task hands the lease token on in the state,
and the next one renews the lease with it (or claims the job again if it was rescued meanwhile).
The state machine owns retries (Retry with backoff); the step function only decides, with the
kind's own `RetryPolicy` and the Task's retry count, whether the failure is the last one: then
it fails the job and raises `PermanentJobFailure`, which the Retry rules never retry.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NoReturn

from pydantic import ValidationError
from pydantic_core import to_jsonable_python

from apiscope.errors import JobError, LeaseLost, PermanentJobFailure
from apiscope.jobs.context import JobContext, call_job_code
from apiscope.jobs.dispatch import default_worker_id
from apiscope.jobs.engine import JobEngine
from apiscope.jobs.model import Claimed, ProgressUpdate
from apiscope.jobs.pipeline import Pipeline, StepContext, StepInputs
from apiscope.jobs.registry import JobKind
from apiscope.jobs.retry import GiveUp, decide

log = logging.getLogger("apiscope.aws")
WHOLE_JOB = "run"
"""The one step of a kind that is not a pipeline."""


@dataclass(frozen=True, slots=True)
class Task:
    """What a Task state sends: the job, the lease token so far, which step, which retry."""

    job_id: str
    kind: str
    token: str | None
    step: str = WHOLE_JOB
    retry: int = 0

    @classmethod
    def parse(cls, event: Mapping[str, Any]) -> Task:
        """The Task from the state machine's payload."""
        return cls(
            str(event["job_id"]),
            str(event["kind"]),
            event.get("token") or None,
            str(event.get("step") or WHOLE_JOB),
            int(event.get("retry") or 0),
        )

    def state(self, token: str | None, *, stopped: bool) -> dict[str, Any]:
        """The state the next Task gets (a stopped job's later Tasks do nothing)."""
        return {"job_id": self.job_id, "kind": self.kind, "token": token, "stopped": stopped}


async def acquire(engine: JobEngine, task: Task, lease_until: datetime) -> Claimed | None:
    """Renew the lease the previous Task handed on, or claim the job (first Task, or after a
    rescue); None when the job is finished or cancelled."""
    if task.token:
        with contextlib.suppress(LeaseLost):
            job = await engine.store.heartbeat(task.job_id, task.token, lease_until)
            return Claimed(job, task.token)
    return await engine.store.claim_job(
        task.job_id, worker_id=default_worker_id(), lease_until=lease_until
    )


async def run_step(engine: JobEngine, task: Task, *, lease_until: datetime) -> dict[str, Any]:
    """Run the Task's step of the job (completing the job after its last step)."""
    claimed = await acquire(engine, task, lease_until)
    if claimed is None:
        return task.state(None, stopped=True)
    task = dataclasses.replace(task, token=claimed.lease_token)
    kind = engine.registry[task.kind]
    # Threads stand in for the process pool: AWS Lambda has no /dev/shm, so none can start there.
    pool = ThreadPoolExecutor(thread_name_prefix="apiscope-step")
    context = JobContext(
        claimed.job,
        claimed.lease_token,
        engine.store,
        checkpoints=await engine.store.load_checkpoints(task.job_id),
        on_change=lambda job: engine.hub.job_changed(job.id, job),
        process_pool=lambda: pool,
    )
    try:
        step = _perform(engine, kind, context, claimed.lease_token, task.step)
        finished = await asyncio.wait_for(step, kind.timeout)
    except JobError as exc:
        if isinstance(exc, LeaseLost) or context.cancelled:
            log.info("job %s stopped: %s", task.job_id, exc)
            return task.state(None, stopped=True)
        await _failed(engine, kind, context, task, exc)
    except Exception as exc:
        await _failed(engine, kind, context, task, exc)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return task.state(None if finished else task.token, stopped=finished)


async def _perform(
    engine: JobEngine, kind: JobKind, context: JobContext, token: str, step_name: str
) -> bool:
    """Run the step (unless an earlier delivery checkpointed it); after the last step, complete
    the job. Returns whether the job is finished."""
    try:
        params = kind.parse(context.job.params)
    except ValidationError as exc:
        raise PermanentJobFailure(f"invalid parameters: {exc.error_count()} error(s)") from exc
    pipeline = kind.handler
    if not isinstance(pipeline, Pipeline):
        result = await call_job_code(pipeline, context, params)
    else:
        names = [step.name for step in pipeline.steps]
        if step_name not in names:
            raise PermanentJobFailure(f"kind {kind.name} has no step {step_name!r}")
        index = names.index(step_name)
        if step_name not in context.checkpoints:
            step = StepContext(context, pipeline, index)
            await step.begin()
            inputs = StepInputs(params, dict(context.checkpoints))
            await step.finish(await call_job_code(pipeline.steps[index].run, step, inputs))
        if index < len(names) - 1:
            return False
        result = await pipeline(context, params)  # every step is checkpointed: just the result
    job = await engine.store.complete(context.job_id, token, to_jsonable_python(result))
    engine.hub.job_changed(job.id, job)
    return True


async def _failed(
    engine: JobEngine, kind: JobKind, context: JobContext, task: Task, exc: BaseException
) -> NoReturn:
    """Record a failed step and raise for the state machine: `PermanentJobFailure` after the
    last attempt (the job is failed now), the error otherwise (the Retry runs the step again)."""
    error = describe(exc)
    token = task.token or ""
    decision = decide(kind.retry, task.retry + 1, exc)
    with contextlib.suppress(LeaseLost):
        if isinstance(decision, GiveUp):
            await engine.store.fail(task.job_id, token, error)
        else:
            message = f"Step {task.step} failed ({error}); retrying"
            update = ProgressUpdate(context.job.progress, message)
            await engine.store.record_progress(task.job_id, token, update)
    if isinstance(decision, GiveUp):
        raise PermanentJobFailure(error, task.job_id) from exc
    raise exc


async def mark_failed(
    engine: JobEngine, task: Task, error: Mapping[str, Any], *, lease_until: datetime
) -> dict[str, Any]:
    """The Catch state: fail the job with the error that ended the execution (nothing to do if
    the step function already failed it, or the job was cancelled)."""
    claimed = await acquire(engine, task, lease_until)
    if claimed is not None:
        await engine.store.fail(task.job_id, claimed.lease_token, _caught(error))
    return task.state(None, stopped=True)


def _caught(error: Mapping[str, Any]) -> str:
    """The message of a caught error: a Lambda error's `errorMessage`, else the error's name."""
    name = str(error.get("Error") or "States.Runtime")
    try:
        cause = json.loads(error.get("Cause") or "")
    except (TypeError, ValueError):
        cause = error.get("Cause")
    if isinstance(cause, dict):
        cause = cause.get("errorMessage")
    return f"Job failed: {cause or name}"


def describe(exc: BaseException) -> str:
    """A failure in one line, as the job's error shows it."""
    if isinstance(exc, TimeoutError):
        return "the step timed out"
    if isinstance(exc, JobError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
