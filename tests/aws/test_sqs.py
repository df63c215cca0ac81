"""The SQS shape against moto's SQS: one message per job, a worker function reporting partial
batch failures, a dead-letter queue whose function fails the jobs, and the maintenance run."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from bench.faults.serverless import REGION

from apiscope.aws import handlers
from apiscope.aws.runtime import LambdaRuntime
from apiscope.jobs.model import JobStatus
from tests.aws.conftest import FakeContext, new_id, status, submit
from tests.aws.moto_server import client

Client = Any


class Queues:
    """A job queue with a dead-letter queue after two deliveries, and the Lambda poller's part:
    receive a batch as an event, then delete the messages the function did not report."""

    def __init__(self, endpoint: str) -> None:
        self.sqs: Client = client("sqs", endpoint)
        self.dead = self.sqs.create_queue(QueueName=f"dlq-{new_id()}")["QueueUrl"]
        dead_arn = self._arn(self.dead)
        redrive = {"deadLetterTargetArn": dead_arn, "maxReceiveCount": "2"}
        self.jobs = self.sqs.create_queue(
            QueueName=f"jobs-{new_id()}",
            Attributes={"VisibilityTimeout": "1", "RedrivePolicy": json.dumps(redrive)},
        )["QueueUrl"]

    def _arn(self, url: str) -> str:
        attributes = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
        return str(attributes["Attributes"]["QueueArn"])

    def receive(self, url: str, count: int, *, tries: int = 40) -> list[dict[str, Any]]:
        """`count` messages as the records of an SQS event (waiting for them to be visible)."""
        records: list[dict[str, Any]] = []
        for _ in range(tries):
            found = self.sqs.receive_message(
                QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"], WaitTimeSeconds=0
            ).get("Messages", [])
            records += [self._record(url, m) for m in found]
            if len(records) >= count:
                return records
            time.sleep(0.25)
        raise AssertionError(f"expected {count} message(s) on {url}, got {len(records)}")

    def _record(self, url: str, message: dict[str, Any]) -> dict[str, Any]:
        return {
            "messageId": message["MessageId"],
            "receiptHandle": message["ReceiptHandle"],
            "body": message["Body"],
            "attributes": message["Attributes"],
            "messageAttributes": {},
            "md5OfBody": message["MD5OfBody"],
            "eventSource": "aws:sqs",
            "eventSourceARN": self._arn(url),
            "awsRegion": REGION,
        }

    def settle(self, url: str, records: list[dict[str, Any]], response: dict[str, Any]) -> None:
        """Delete what the function finished, as the event source mapping does."""
        failed = {f["itemIdentifier"] for f in response["batchItemFailures"]}
        for record in records:
            if record["messageId"] not in failed:
                self.sqs.delete_message(QueueUrl=url, ReceiptHandle=record["receiptHandle"])

    def poll_until_empty(self, url: str, *, tries: int = 40) -> None:
        """Keep polling, as the event source mapping does, while SQS moves a message that was
        received too often to the dead-letter queue (it does so at the next receive)."""
        for _ in range(tries):
            found = self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0).get("Messages", [])
            assert found == [], "a message was delivered again past maxReceiveCount"
            if self.depth(url) == 0:
                return
            time.sleep(0.25)
        raise AssertionError(f"{url} never emptied")

    def depth(self, url: str) -> int:
        attributes = self.sqs.get_queue_attributes(
            QueueUrl=url,
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        return sum(int(v) for v in attributes.values())


@pytest.fixture
def queues(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Queues:
    made = Queues(moto_endpoint)
    monkeypatch.setenv("APISCOPE_DISPATCH", "sqs")
    monkeypatch.setenv("APISCOPE_SQS_QUEUE_URL", made.jobs)
    return made


@pytest.fixture
def runtime(queues: Queues, cold_start: Callable[[], LambdaRuntime]) -> LambdaRuntime:
    return cold_start()


def test_a_poisoned_message_ends_in_the_dead_letter_queue_and_fails_its_job(
    runtime: LambdaRuntime, queues: Queues
) -> None:
    """In a batch, the jobs that finish complete and their messages are deleted; the job that
    outruns every invocation is reported each time, lands in the DLQ, and is failed there."""
    good = [submit(runtime, "echo", {"n": n}) for n in range(2)]
    poisoned = submit(runtime, "hang", {"seconds": 30})
    records = queues.receive(queues.jobs, 3)
    response = handlers.sqs_worker({"Records": records}, FakeContext(seconds=4))
    poisoned_message = next(r["messageId"] for r in records if poisoned.id in r["body"])
    assert response == {"batchItemFailures": [{"itemIdentifier": poisoned_message}]}
    queues.settle(queues.jobs, records, response)
    assert [status(runtime, j).status for j in good] == [JobStatus.COMPLETED] * 2

    again = queues.receive(queues.jobs, 1)
    assert json.loads(again[0]["body"])["job_id"] == poisoned.id
    retried = handlers.sqs_worker({"Records": again}, FakeContext(seconds=4))
    assert retried["batchItemFailures"] == [{"itemIdentifier": again[0]["messageId"]}]
    assert status(runtime, poisoned).attempts == 2

    queues.poll_until_empty(queues.jobs)
    dead = queues.receive(queues.dead, 1)
    assert handlers.dead_letters({"Records": dead}, FakeContext()) == {"batchItemFailures": []}
    failed = status(runtime, poisoned)
    assert failed.status is JobStatus.FAILED
    assert "queue message was delivered" in (failed.error or "")


def test_a_retry_due_later_is_sent_as_a_delayed_message(
    runtime: LambdaRuntime, queues: Queues, tmp_path: Any
) -> None:
    """A failed attempt whose backoff outlasts the invocation gets a new, delayed message,
    and the next delivery runs the job to completion."""
    job = submit(runtime, "flaky", {"marker": str(tmp_path / "count")})
    first = queues.receive(queues.jobs, 1)
    response = handlers.sqs_worker({"Records": first}, FakeContext(seconds=3))
    assert response == {"batchItemFailures": []}
    queues.settle(queues.jobs, first, response)
    assert status(runtime, job).status is JobStatus.PENDING

    second = queues.receive(queues.jobs, 1)
    handlers.sqs_worker({"Records": second}, FakeContext(seconds=3))
    done = status(runtime, job)
    assert (done.status, done.attempts, done.result) == (JobStatus.COMPLETED, 2, {"attempts": 2})


def test_messages_for_unknown_jobs_are_dropped_and_foreign_ones_reported(
    runtime: LambdaRuntime,
) -> None:
    """A message whose job does not exist is done with; one that names no job is reported,
    so SQS moves it to the dead-letter queue in the end."""
    records = [
        {
            "messageId": "gone",
            "body": json.dumps({"job_id": "4b8e0c1e-0000-4000-8000-000000000000"}),
        },
        {"messageId": "foreign", "body": "hello"},
    ]
    response = handlers.sqs_worker({"Records": records}, FakeContext())
    assert response == {"batchItemFailures": [{"itemIdentifier": "foreign"}]}


def test_maintenance_rescues_a_lapsed_job_and_sends_it_again(
    runtime: LambdaRuntime, queues: Queues
) -> None:
    """A job whose function died is put back to pending by the schedule and queued again."""
    job = submit(runtime, "echo", {"n": 1})
    queues.settle(queues.jobs, queues.receive(queues.jobs, 1), {"batchItemFailures": []})
    lapsed = runtime.engine.clock()  # a lease that ended the moment it was taken
    claimed = runtime.run(
        runtime.engine.store.claim_job(job.id, worker_id="dead", lease_until=lapsed)
    )
    assert claimed is not None
    report = handlers.maintenance({"source": "aws.events"}, FakeContext())
    assert report["rescued"] == 1 and status(runtime, job).status is JobStatus.PENDING
    [message] = queues.receive(queues.jobs, 1)
    assert json.loads(message["body"])["job_id"] == job.id
