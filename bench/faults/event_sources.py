"""The Lambda service's part of the AWS shape, played by one process each, so the fault suite
can SIGKILL them as a Lambda execution environment dies:

- `python -m bench.faults.event_sources sqs --queue-url URL --handler sqs_worker`: an SQS event
  source mapping with its function: receive up to 10 messages, call the real handler with them as
  an SQS event, delete the messages it did not report as failures (a handler that raises fails
  the whole batch, as on Lambda);
- `python -m bench.faults.event_sources schedule --every 3`: an EventBridge schedule invoking
  the maintenance handler.

The handlers build their runtime from the environment at the first call, as at a cold start;
each process does that before logging `READY`, so the suite knows when it polls.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError  # type: ignore[import-untyped]

from apiscope.aws import handlers
from apiscope.jobs.stores.dynamodb.connection import Client, new_client

READY = "event source running"
log = logging.getLogger("bench.faults")
Handler = Callable[[dict[str, Any], Any], dict[str, Any]]
SQS_HANDLERS: dict[str, Handler] = {
    "sqs_worker": handlers.sqs_worker,
    "dead_letters": handlers.dead_letters,
}


class Invocation:
    """Lambda's context object for one invocation: its name and the time it has left."""

    def __init__(self, function: str, timeout: float) -> None:
        self.function_name = function
        self.aws_request_id = str(uuid.uuid4())
        self.deadline = time.monotonic() + timeout

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.deadline - time.monotonic()) * 1000))


def sqs_record(message: dict[str, Any], queue_arn: str, region: str) -> dict[str, Any]:
    """One received message as a record of the SQS event Lambda hands a function."""
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": message.get("Attributes", {}),
        "messageAttributes": {},
        "md5OfBody": message["MD5OfBody"],
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": region,
    }


def failed_ids(response: object) -> set[str]:
    """The messages a partial batch response names; all of them if it is not one."""
    if not isinstance(response, dict) or not isinstance(response.get("batchItemFailures"), list):
        raise ValueError(f"not a partial batch response: {response!r}")
    return {str(item["itemIdentifier"]) for item in response["batchItemFailures"]}


class SqsEventSource:
    """Receive, invoke, delete the rest: the event source mapping of one queue."""

    def __init__(self, sqs: Client, queue_url: str, handler: Handler, timeout: float) -> None:
        self.sqs = sqs
        self.queue_url = queue_url
        self.handler = handler
        self.timeout = timeout
        attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])
        self.arn = str(attributes["Attributes"]["QueueArn"])
        self.region = self.arn.split(":")[3]

    def poll_once(self) -> int:
        """One long poll (1 s) and, if it found messages, one invocation; messages received."""
        messages = self.sqs.receive_message(
            QueueUrl=self.queue_url,
            MaxNumberOfMessages=10,
            WaitTimeSeconds=1,
            AttributeNames=["All"],
        ).get("Messages", [])
        if messages:
            self._invoke([sqs_record(m, self.arn, self.region) for m in messages])
        return len(messages)

    def _invoke(self, records: list[dict[str, Any]]) -> None:
        try:
            failed = failed_ids(self.handler({"Records": records}, self._context()))
        except Exception:  # the function failed: Lambda leaves every message to come back
            log.exception("invocation failed; its %d messages will come back", len(records))
            return
        done = [r for r in records if r["messageId"] not in failed]
        if done:
            entries = [
                {"Id": str(i), "ReceiptHandle": r["receiptHandle"]} for i, r in enumerate(done)
            ]
            self.sqs.delete_message_batch(QueueUrl=self.queue_url, Entries=entries)

    def _context(self) -> Invocation:
        return Invocation(self.handler.__name__, self.timeout)


def run_sqs(args: argparse.Namespace) -> None:
    handler = SQS_HANDLERS[args.handler]
    source = SqsEventSource(new_client("sqs"), args.queue_url, handler, args.timeout)
    handlers.runtime()  # the cold start
    log.info(READY)
    while True:
        try:
            source.poll_once()
        except (BotoCoreError, ClientError) as exc:  # as the Lambda service does: poll again
            log.warning("polling %s failed: %s", args.queue_url, exc)
            time.sleep(1)


def run_schedule(args: argparse.Namespace) -> None:
    handlers.runtime()
    log.info(READY)
    event = {"source": "aws.events", "detail-type": "Scheduled Event"}
    while True:
        time.sleep(args.every)
        try:
            done = handlers.maintenance(event, Invocation("maintenance", args.timeout))
        except Exception:  # a failed run: the next one comes on schedule anyway
            log.exception("maintenance run failed")
            continue
        if any(done.values()):
            log.info("maintenance: %s", done)


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.faults.event_sources")
    commands = parser.add_subparsers(dest="command", required=True)
    sqs = commands.add_parser("sqs", help="an SQS event source mapping and its function")
    sqs.add_argument("--queue-url", required=True)
    sqs.add_argument("--handler", choices=sorted(SQS_HANDLERS), default="sqs_worker")
    schedule = commands.add_parser("schedule", help="the maintenance schedule")
    schedule.add_argument("--every", type=float, default=3.0, help="seconds between runs")
    for command in (sqs, schedule):
        command.add_argument("--timeout", type=float, default=5.0, help="function timeout, s")
    return parser.parse_args(argv)


def main(argv: list[str]) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    args = parse(argv)
    (run_sqs if args.command == "sqs" else run_schedule)(args)


if __name__ == "__main__":
    main(sys.argv[1:])
