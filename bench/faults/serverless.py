"""The AWS serverless shape's pieces for the fault suite: moto server standing in for DynamoDB and
SQS, the job queue with its dead-letter queue, the engine that submits as the API function does,
and the processes that play Lambda (bench/faults/event_sources.py)."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from apiscope.app import build_engine
from apiscope.aws.dispatchers import build_dispatcher
from apiscope.aws.settings import LambdaSettings
from apiscope.jobs import JobEngine
from apiscope.jobs.stores.dynamodb.connection import new_client
from bench.faults import processes
from bench.faults.event_sources import READY
from bench.faults.moto import HEALTH_PATH
from bench.faults.processes import Service
from bench.server import free_port

REGION = "us-east-1"
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
}
"""Dummy credentials: moto accepts any."""
FUNCTION_TIMEOUT = 5.0
"""The worker function's timeout, seconds: a job's lease ends with its invocation."""
RESERVE = 1.0
"""`APISCOPE_LAMBDA_RESERVE_SECONDS`: what an invocation keeps back to record outcomes."""
VISIBILITY_TIMEOUT = 6
"""A received message comes back after this many seconds unless deleted; at least the function
timeout, as AWS requires of a queue that triggers a function."""
MAX_RECEIVE_COUNT = 5
"""Deliveries before a message goes to the dead-letter queue (AWS advises at least 5)."""
SCHEDULE_EVERY = 2.0
"""Seconds between maintenance runs (EventBridge allows one a minute; the run is short)."""
POLLERS = 3
STATUS_PAUSE = 2.0
"""Seconds between the suite's checks whether all jobs are final: counting by status queries
an index, which moto answers by sorting the whole table, one DynamoDB request at a time."""
JOB_KINDS = "bench.jobkinds:registry"


@dataclass(frozen=True)
class Queues:
    """The job queue and its dead-letter queue."""

    jobs: str
    dead: str


def moto_server(folder: Path) -> Service:
    """`python -m bench.faults.moto` on a free loopback port; `endpoint` once started."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(processes.ROOT)}
    service = Service("moto", ["--port", str(port)], env, folder, module="bench.faults.moto")
    service.health_url = f"http://127.0.0.1:{port}{HEALTH_PATH}"
    return service


def endpoint_of(moto: Service) -> str:
    """The moto server's base URL."""
    return (moto.health_url or "").removesuffix(HEALTH_PATH)


@contextlib.contextmanager
def aws_environment(endpoint: str) -> Iterator[dict[str, str]]:
    """This process's boto3 clients reach moto with dummy credentials, for the block's length;
    yields those variables, for the functions' environment."""
    variables = {**CREDENTIALS, "AWS_ENDPOINT_URL": endpoint}
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield variables
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def create_queues(name: str) -> Queues:
    """A job queue whose messages go to a dead-letter queue after `MAX_RECEIVE_COUNT`
    deliveries (as deploy/aws/template.yaml sets it up)."""
    sqs = new_client("sqs")
    dead = sqs.create_queue(QueueName=f"{name}-dlq")["QueueUrl"]
    dead_arn = sqs.get_queue_attributes(QueueUrl=dead, AttributeNames=["QueueArn"])
    redrive = {
        "deadLetterTargetArn": dead_arn["Attributes"]["QueueArn"],
        "maxReceiveCount": str(MAX_RECEIVE_COUNT),
    }
    attributes = {
        "VisibilityTimeout": str(VISIBILITY_TIMEOUT),
        "RedrivePolicy": json.dumps(redrive),
    }
    jobs = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    return Queues(jobs=str(jobs), dead=str(dead))


def lambda_settings(store: str, queues: Queues) -> LambdaSettings:
    """What every function is configured with: the store, the bench job kinds, SQS dispatch."""
    return LambdaSettings(
        store=store,
        job_kinds=[JOB_KINDS],
        dispatch="sqs",
        sqs_queue_url=queues.jobs,
        lambda_reserve_seconds=RESERVE,
    )


def function_env(settings: LambdaSettings, aws: dict[str, str]) -> dict[str, str]:
    """The same settings as a function's environment variables (the bench job kinds come with
    `service_env`), with the AWS ones."""
    return processes.service_env(
        settings.store,
        APISCOPE_DISPATCH=settings.dispatch,
        APISCOPE_SQS_QUEUE_URL=settings.sqs_queue_url or "",
        APISCOPE_LAMBDA_RESERVE_SECONDS=str(settings.lambda_reserve_seconds),
        APISCOPE_MAINTENANCE_EVERY_SECONDS=str(SCHEDULE_EVERY),
        **aws,
    )


def submitting_engine(settings: LambdaSettings) -> JobEngine:
    """The engine as the API function's runtime builds it: no executor, SQS dispatch."""
    engine = build_engine(settings, execute=False)
    engine.dispatcher = build_dispatcher(settings)
    return engine


def functions(
    queues: Queues, env: dict[str, str], folder: Path
) -> tuple[list[Service], list[Service]]:
    """(the processes to kill: the worker pollers and the schedule; the dead-letter poller)."""
    timeout = ["--timeout", str(FUNCTION_TIMEOUT)]
    victims = [
        _event_source(f"poller{i}", ["sqs", "--queue-url", queues.jobs, *timeout], env, folder)
        for i in range(POLLERS)
    ]
    schedule = ["schedule", "--every", str(SCHEDULE_EVERY), *timeout]
    victims.append(_event_source("maintenance", schedule, env, folder))
    dead = ["sqs", "--queue-url", queues.dead, "--handler", "dead_letters", *timeout]
    return victims, [_event_source("dead-letters", dead, env, folder)]


def _event_source(name: str, args: list[str], env: dict[str, str], folder: Path) -> Service:
    service = Service(name, args, env, folder, module="bench.faults.event_sources")
    service.ready_line = READY
    return service
