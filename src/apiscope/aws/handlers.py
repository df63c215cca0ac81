"""The Lambda entry points (`Handler: apiscope.aws.handlers.NAME` in deploy/aws/template.yaml).

Settings come from the environment, read once per cold start along with everything else the
environment keeps (see `runtime.py`).

- `main`: the single-function shape, routing by event: HTTP, a self-invocation, or the schedule.
- `http`: API Gateway REST (v1) and HTTP API (v2) payloads and Function URLs, through Mangum.
- `run_job`: the self-invocation `{"apiscope": "run-job", "job_id": ...}`.
- `sqs_worker` / `dead_letters`: the SQS shape's worker and dead-letter functions.
- `step`: the Step Functions Tasks (`action` "step" or "fail").
- `maintenance`: the schedule: rescue, purge, send again what nobody took.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from apiscope.aws.dispatchers import RUN_JOB
from apiscope.aws.maintenance import maintain
from apiscope.aws.queue import fail_dead_letters, run_batch
from apiscope.aws.runtime import LambdaContext, LambdaRuntime
from apiscope.aws.settings import LambdaSettings
from apiscope.aws.steps import Task, mark_failed, run_step
from apiscope.aws.worker import work
from apiscope.errors import JobExpired, JobNotFound

Event = Mapping[str, Any]
log = logging.getLogger("apiscope.aws")


@functools.cache
def runtime() -> LambdaRuntime:
    """This environment's runtime, built by its first invocation (the cold start)."""
    logging.getLogger("apiscope").setLevel(logging.INFO)
    return LambdaRuntime(LambdaSettings())


def http(event: Event, context: LambdaContext) -> dict[str, Any]:
    """An HTTP request from API Gateway (REST or HTTP API) or a Function URL."""
    return runtime().respond(event, context)


def main(event: Event, context: LambdaContext) -> Any:
    """The single-function shape: one function for HTTP, its own jobs and the schedule."""
    if event.get("apiscope") == RUN_JOB:
        return run_job(event, context)
    if event.get("source") == "aws.events":
        return maintenance(event, context)
    return http(event, context)


def run_job(event: Event, context: LambdaContext) -> dict[str, Any]:
    """Run the job a self-invocation names, within this invocation's time."""
    here = runtime()
    seconds = here.seconds_left(context)
    job_id = str(event["job_id"])

    async def run() -> dict[str, Any]:
        try:
            async with asyncio.timeout(seconds):
                job = await work(here.engine, job_id, seconds=seconds)
        except (JobNotFound, JobExpired) as exc:
            return {"job_id": job_id, "status": None, "detail": str(exc)}
        except TimeoutError:  # the lease lapses; maintenance rescues the job and sends it on
            log.warning("job %s ran out of this invocation's time", job_id)
            return {"job_id": job_id, "status": "processing"}
        return {"job_id": job_id, "status": job.status.value}

    return here.run(run())


def sqs_worker(event: Event, context: LambdaContext) -> dict[str, Any]:
    """A batch of job messages; the response names the messages to deliver again."""
    here = runtime()
    batch = run_batch(
        here.engine,
        event["Records"],
        seconds=here.seconds_left(context),
        concurrency=here.settings.concurrency,
    )
    return here.run(batch)


def dead_letters(event: Event, context: LambdaContext) -> dict[str, Any]:
    """A batch from the dead-letter queue: fail the jobs SQS gave up on."""
    here = runtime()
    return here.run(fail_dead_letters(here.engine, event["Records"]))


def step(event: Event, context: LambdaContext) -> dict[str, Any]:
    """One Task of the state machine."""
    here = runtime()
    task = Task.parse(event)
    lease_until = here.engine.clock() + timedelta(seconds=here.seconds_left(context))
    if event.get("action") == "fail":
        error = event.get("error") or {}
        return here.run(mark_failed(here.engine, task, error, lease_until=lease_until))
    return here.run(run_step(here.engine, task, lease_until=lease_until))


def maintenance(event: Event, context: LambdaContext) -> dict[str, int]:
    """The scheduled run."""
    here = runtime()
    after = timedelta(seconds=here.settings.redispatch_after_seconds)
    every = timedelta(seconds=here.settings.maintenance_every_seconds)
    return here.run(maintain(here.engine, redispatch_after=after, every=every))
