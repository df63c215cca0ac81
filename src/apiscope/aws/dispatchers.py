"""Dispatchers that hand a pending job to AWS: an SQS message, a Step Functions execution, or an
asynchronous invocation of a Lambda function.

A failed send is logged, not raised: the job is already stored, so the submission stands, and
the scheduled maintenance run sends every job left pending too long again. Sending twice is
harmless: the receiving side claims the job, and only one claim can win.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
from collections.abc import Callable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError  # type: ignore[import-untyped]

from apiscope.aws.settings import LambdaSettings
from apiscope.jobs.clock import Clock, utcnow
from apiscope.jobs.dispatch import Dispatcher, StoreDispatch
from apiscope.jobs.model import Job
from apiscope.jobs.stores.dynamodb.connection import Client, error_code, new_client

log = logging.getLogger("apiscope.aws")
MAX_SQS_DELAY = 900
"""SQS delays a message at most 15 minutes; a job due later is sent on again when it arrives."""
RUN_JOB = "run-job"
"""`{"apiscope": RUN_JOB, "job_id": ...}`: the event of a self-invocation."""


def execution_input(job: Job) -> dict[str, Any]:
    """The state machine's input for a job: no lease yet, not stopped."""
    return {"job_id": job.id, "kind": job.kind, "token": None, "stopped": False}


async def _send(job: Job, what: str, call: Callable[[], object]) -> None:
    try:
        await asyncio.to_thread(call)
    except (BotoCoreError, ClientError) as exc:
        log.warning(
            "could not %s for job %s (%s); maintenance will send it again", what, job.id, exc
        )


class SqsDispatcher:
    """One message per job, delayed until the job is due (up to 15 minutes)."""

    def __init__(self, client: Client, queue_url: str, *, clock: Clock = utcnow) -> None:
        self._client = client
        self._queue_url = queue_url
        self._clock = clock

    async def dispatch(self, job: Job) -> None:
        """Queue the job's id."""
        wait = (job.run_at - self._clock()).total_seconds()
        body = json.dumps({"job_id": job.id, "kind": job.kind})
        await _send(
            job,
            "queue a message",
            lambda: self._client.send_message(
                QueueUrl=self._queue_url,
                MessageBody=body,
                DelaySeconds=min(MAX_SQS_DELAY, max(0, math.ceil(wait))),
            ),
        )


class StepFunctionsDispatcher:
    """One execution per job, named by the job's id: a repeated submission starts nothing new,
    and the state machine's own Retry runs a failed step again."""

    def __init__(self, client: Client, state_machine_arn: str) -> None:
        self._client = client
        self._arn = state_machine_arn

    async def dispatch(self, job: Job) -> None:
        """Start the job's execution unless it exists."""

        def start() -> None:
            try:
                self._client.start_execution(
                    stateMachineArn=self._arn,
                    name=job.id,
                    input=json.dumps(execution_input(job)),
                )
            except ClientError as exc:
                if error_code(exc) != "ExecutionAlreadyExists":
                    raise

        await _send(job, "start an execution", start)


class LambdaDispatcher:
    """An asynchronous (`Event`) invocation per job, of the worker function or this one."""

    def __init__(self, client: Client, function: str) -> None:
        self._client = client
        self._function = function

    async def dispatch(self, job: Job) -> None:
        """Invoke the function with the job's id; it runs in an invocation of its own."""
        payload = json.dumps({"apiscope": RUN_JOB, "job_id": job.id}).encode()
        await _send(
            job,
            "invoke the worker function",
            lambda: self._client.invoke(
                FunctionName=self._function, InvocationType="Event", Payload=payload
            ),
        )


def build_dispatcher(settings: LambdaSettings) -> Dispatcher:
    """The dispatcher the settings choose (their validation ensures its target is named)."""
    if settings.dispatch == "none":
        return StoreDispatch()
    if settings.dispatch == "sqs":
        assert settings.sqs_queue_url is not None
        return SqsDispatcher(new_client("sqs"), settings.sqs_queue_url)
    if settings.dispatch == "stepfunctions":
        assert settings.state_machine_arn is not None
        return StepFunctionsDispatcher(new_client("stepfunctions"), settings.state_machine_arn)
    assert settings.worker_function is not None
    return LambdaDispatcher(new_client("lambda"), settings.worker_function)
