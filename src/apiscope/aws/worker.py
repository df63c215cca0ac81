"""Running one named job inside a Lambda invocation, within the time the invocation has left.

The lease is the invocation's remaining time (for SQS, the message's visibility timeout is longer
still), so nothing needs renewing while the function runs; if the function dies or times out,
the lease lapses and the job is rescued. A retry whose backoff ends within the same invocation
is waited for here; a later one is left to the caller (a delayed message, or maintenance).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from apiscope.jobs.dispatch import run_one
from apiscope.jobs.engine import JobEngine
from apiscope.jobs.model import Job, JobStatus

MIN_ATTEMPT_SECONDS = 5.0
"""Waiting for a retry is pointless with less time than this left to run it."""


async def work(engine: JobEngine, job_id: str, *, seconds: float) -> Job:
    """Run the job here until it ends, is running elsewhere, or its next attempt is due too
    late for this invocation; returns it as it was left. `JobNotFound` / `JobExpired` for a job
    that is gone. Wrap in `asyncio.timeout(seconds)` to cut off an attempt that runs over."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while True:
        remaining = deadline - loop.time()
        lease_until = engine.clock() + timedelta(seconds=max(remaining, 1.0))
        job = await run_one(engine, job_id, lease_until=lease_until)
        if job is None:  # not claimable: finished, running elsewhere, or not due yet
            job = await engine.store.get(job_id)
        if job.status is not JobStatus.PENDING:
            return job
        wait = (job.run_at - engine.clock()).total_seconds()
        if wait > remaining - MIN_ATTEMPT_SECONDS:
            return job
        await asyncio.sleep(max(0.0, wait))
