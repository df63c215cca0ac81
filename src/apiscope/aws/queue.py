"""The SQS shape's two functions: the worker, which runs the jobs of a batch of messages and
reports the messages to deliver again (`batchItemFailures`), and the dead-letter function,
which fails the jobs whose messages SQS gave up on.

A message is done with (deleted) once its job ended, is running elsewhere, or is gone; a job
that is to be retried later gets a new, delayed message. A message whose job did not finish
before the invocation's time ran out, or that hit a store failure, is delivered again after the
visibility timeout, and after `maxReceiveCount` deliveries lands in the dead-letter queue.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from apiscope.aws.worker import work
from apiscope.errors import ApiscopeError, JobExpired, JobNotFound
from apiscope.jobs.dispatch import default_worker_id
from apiscope.jobs.engine import JobEngine
from apiscope.jobs.model import JobStatus

log = logging.getLogger("apiscope.aws")
Record = Mapping[str, Any]
DEAD_LETTER_LEASE = timedelta(seconds=60)


def job_id_of(record: Record) -> str:
    """The job a message names; `ValueError` for a message that is not ours."""
    try:
        body = json.loads(record["body"])
        job_id = body["job_id"]
    except (KeyError, TypeError, json.JSONDecodeError) as exc:
        raise ValueError(f"message {record.get('messageId')} names no job") from exc
    if not isinstance(job_id, str) or not job_id:
        raise ValueError(f"message {record.get('messageId')} names no job")
    return job_id


def batch_response(records: Sequence[Record], done: Sequence[bool]) -> dict[str, Any]:
    """The partial batch response: the messages SQS should deliver again."""
    failed = [r["messageId"] for r, ok in zip(records, done, strict=True) if not ok]
    return {"batchItemFailures": [{"itemIdentifier": m} for m in failed]}


async def run_batch(
    engine: JobEngine, records: Sequence[Record], *, seconds: float, concurrency: int
) -> dict[str, Any]:
    """Run the batch's jobs, `concurrency` at a time, all within `seconds`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    slots = asyncio.Semaphore(concurrency)

    async def one(record: Record) -> bool:
        async with slots:
            return await _run_message(engine, record, deadline - loop.time())

    done = await asyncio.gather(*(one(r) for r in records))
    return batch_response(records, done)


async def _run_message(engine: JobEngine, record: Record, seconds: float) -> bool:
    """Whether the message is done with; False to have it delivered again."""
    try:
        job_id = job_id_of(record)
        async with asyncio.timeout(seconds):
            job = await work(engine, job_id, seconds=seconds)
    except (JobNotFound, JobExpired) as exc:
        log.info("message %s: nothing to run: %s", record.get("messageId"), exc)
        return True
    except TimeoutError:
        log.warning("message %s: its job ran out of time; it will be delivered again",
                    record.get("messageId"))  # fmt: skip
        return False
    except (ValueError, ApiscopeError) as exc:
        log.warning("message %s failed: %s", record.get("messageId"), exc)
        return False
    if job.status is JobStatus.PENDING:  # a retry due later: a new message, delayed until then
        await engine.dispatcher.dispatch(job)
    return True


async def fail_dead_letters(engine: JobEngine, records: Sequence[Record]) -> dict[str, Any]:
    """Fail each dead letter's job with the reason; a job still running under a live lease, or
    already finished, is left alone."""
    done = [await _fail_dead_letter(engine, record) for record in records]
    return batch_response(records, done)


async def _fail_dead_letter(engine: JobEngine, record: Record) -> bool:
    try:
        job_id = job_id_of(record)
        lease_until = engine.clock() + DEAD_LETTER_LEASE
        claimed = await engine.store.claim_job(
            job_id, worker_id=default_worker_id(), lease_until=lease_until
        )
        if claimed is not None:
            await engine.store.fail(job_id, claimed.lease_token, _reason(record))
    except ValueError as exc:
        log.error("dead letter %s dropped: %s", record.get("messageId"), exc)
    except (JobNotFound, JobExpired):
        pass
    except ApiscopeError as exc:
        log.warning("dead letter %s: %s; will try again", record.get("messageId"), exc)
        return False
    return True


def _reason(record: Record) -> str:
    count = record.get("attributes", {}).get("ApproximateReceiveCount", "several")
    return (
        f"Job failed: its queue message was delivered {count} times without the job finishing "
        "(the worker timed out or crashed each time; see the worker function's logs)"
    )
