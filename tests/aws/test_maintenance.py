"""Sending forgotten jobs again: once per doubling of their wait, not at every scheduled run,
so a long backlog is not fed a duplicate message per job per minute."""

from __future__ import annotations

from datetime import timedelta

import pytest

from apiscope.aws.dispatchers import SqsDispatcher
from apiscope.aws.maintenance import maintain, resend_now
from apiscope.jobs import JobEngine, JobRegistry
from apiscope.jobs.stores import open_store
from tests.aws.conftest import new_id
from tests.aws.moto_server import client
from tests.conftest import FakeClock

AFTER = timedelta(seconds=120)
EVERY = timedelta(seconds=60)


POINTS = [(119, False), (120, True), (179, True), (180, False), (239, False), (240, True)]
POINTS += [(299, True), (300, False), (480, True), (959, False), (960, True), (1100, False)]


@pytest.mark.parametrize(("waited", "resend"), POINTS)
def test_a_job_is_sent_again_when_its_wait_reaches_a_doubling(waited: int, resend: bool) -> None:
    """Re-send points at 120 s, 240 s, 480 s, 960 s...: each caught by the one run (every
    60 s) that follows it."""
    assert resend_now(timedelta(seconds=waited), AFTER, EVERY) is resend


async def test_twenty_minutes_of_runs_send_a_waiting_job_four_more_times(
    moto_endpoint: str, clock: FakeClock
) -> None:
    """A job nobody takes for 20 minutes, with maintenance every minute, gets its first
    message and 4 more (at 2, 4, 8 and 16 minutes) on the real SQS API, not 19 more."""
    sqs = client("sqs", moto_endpoint)
    queue = sqs.create_queue(QueueName=f"jobs-{new_id()}")["QueueUrl"]
    registry = JobRegistry()

    @registry.job("wait")
    async def wait(ctx: object, params: dict[str, object]) -> dict[str, object]:
        return {}

    dispatcher = SqsDispatcher(sqs, queue, clock=clock)
    engine = JobEngine(
        open_store("memory://"), registry, execute=False, clock=clock, dispatcher=dispatcher
    )
    async with engine.running():
        job, _ = await engine.submit("wait", {})
        sent = [0]
        for minute in range(1, 21):
            clock.advance(60)
            report = await maintain(engine, redispatch_after=AFTER, every=EVERY)
            if report["redispatched"]:
                sent.append(minute)
    assert sent == [0, 2, 4, 8, 16]
    attributes = sqs.get_queue_attributes(
        QueueUrl=queue, AttributeNames=["ApproximateNumberOfMessages"]
    )
    assert attributes["Attributes"]["ApproximateNumberOfMessages"] == "5"
    assert job.status.value == "pending"
