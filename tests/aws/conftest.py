"""AWS tests: moto on loopback, a table per test, and Lambda handlers built by a cold start."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest

from apiscope.aws import handlers
from apiscope.aws.runtime import LambdaRuntime
from apiscope.jobs.clock import utcnow
from apiscope.jobs.model import Job
from apiscope.jobs.stores.dynamodb import DynamoDBStore
from tests.aws.fake_lambda import fake_lambda
from tests.aws.moto_server import dynamodb_url, moto_bucket, moto_endpoint

__all__ = ["fake_lambda", "moto_bucket", "moto_endpoint"]  # fixtures from other modules


class FakeContext:
    """Lambda's context object, as far as handlers use it: the invocation's remaining time."""

    function_name = "apiscope-test"
    aws_request_id = "00000000-0000-0000-0000-000000000000"

    def __init__(self, seconds: float = 60.0) -> None:
        self.deadline = time.monotonic() + seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.deadline - time.monotonic()) * 1000))


@pytest.fixture
def store_url(moto_endpoint: str, moto_bucket: str) -> str:
    """A store URL on a fresh, upgraded table."""
    url = dynamodb_url(moto_endpoint, moto_bucket)
    store = DynamoDBStore.from_url(url, retention=timedelta(days=1), clock=utcnow)

    async def upgrade() -> None:
        await store.upgrade()
        await store.close()

    asyncio.run(upgrade())
    return url


@pytest.fixture
def lambda_env(monkeypatch: pytest.MonkeyPatch, store_url: str, moto_endpoint: str) -> str:
    """The environment every function of the template gets, pointing at moto; the store URL."""
    monkeypatch.setenv("APISCOPE_STORE", store_url)
    monkeypatch.setenv("APISCOPE_JOB_KINDS", "tests.aws.kinds:registry")
    monkeypatch.setenv("APISCOPE_LAMBDA_RESERVE_SECONDS", "0")
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "apiscope-test")
    return store_url


@pytest.fixture
def cold_start(lambda_env: str) -> Iterator[Callable[[], LambdaRuntime]]:
    """`handlers.runtime`, fresh for the test (a cold start on first call), closed afterwards."""
    handlers.runtime.cache_clear()
    yield handlers.runtime
    if handlers.runtime.cache_info().currsize:
        handlers.runtime().close()
    handlers.runtime.cache_clear()


def new_id() -> str:
    return uuid.uuid4().hex[:12]


def submit(runtime: LambdaRuntime, kind: str, params: object) -> Job:
    """Submit through the runtime's engine, as the API function does; the stored job."""
    job, _ = runtime.run(runtime.engine.submit(kind, params))
    return job


def status(runtime: LambdaRuntime, job: Job) -> Job:
    """The job as the store has it now."""
    return runtime.run(runtime.engine.get(job.id))
