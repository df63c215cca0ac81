"""Getting a submitted job to an executor, and running one named job where it arrives.

In the single-process and queue-and-workers shapes, executors claim due jobs from the store
themselves, so dispatching is nothing (`StoreDispatch`). Serverless shapes have no process that
polls: a `Dispatcher` hands each job to a queue, a state machine or a new function invocation
(implementations in `apiscope.aws`), and that side calls `run_one` for the job named in its
message, with the same attempt logic as the executor.
"""

from __future__ import annotations

import os
import socket
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from apiscope.jobs.attempts import Attempts
from apiscope.jobs.context import JobContext
from apiscope.jobs.model import Job

if TYPE_CHECKING:
    from apiscope.jobs.engine import JobEngine


class Dispatcher(Protocol):
    """Gets a pending job to an executor once it is due."""

    async def dispatch(self, job: Job) -> None:
        """Hand the job on; delivery is at least once, so sending it twice must be harmless."""


class StoreDispatch:
    """Executors poll the store (or are woken by it): nothing to send."""

    async def dispatch(self, job: Job) -> None:
        """Nothing to do: the job is already where executors look for work."""


def default_worker_id() -> str:
    """This process, as lease records name it."""
    return f"{socket.gethostname()}:{os.getpid()}"


async def run_one(
    engine: JobEngine, job_id: str, *, lease_until: datetime, worker_id: str | None = None
) -> Job | None:
    """Claim the named job and run one attempt of it here; returns the job as it ended (pending
    again when a retry is due later), or None when it was not claimable (finished, running
    elsewhere under a live lease, or not yet due). The lease is not renewed: give one that covers
    the whole attempt, such as the rest of a function invocation's time."""
    store = engine.store
    claimed = await store.claim_job(
        job_id, worker_id=worker_id or default_worker_id(), lease_until=lease_until
    )
    if claimed is None:
        return None
    attempts = Attempts(store, engine.registry, engine.hub, engine.metrics, engine.clock)
    attempts.published(claimed.job)
    checkpoints = await store.load_checkpoints(job_id) if claimed.job.attempts > 1 else {}
    # Threads stand in for the process pool: AWS Lambda has no /dev/shm, so none can start there.
    pool = ThreadPoolExecutor(thread_name_prefix="apiscope-run-one")
    context = JobContext(
        claimed.job,
        claimed.lease_token,
        store,
        checkpoints=checkpoints,
        on_change=attempts.published,
        process_pool=lambda: pool,
    )
    try:
        await attempts.run(context, claimed.lease_token)
    finally:  # an attempt cut off by its caller must not wait here for its threads
        pool.shutdown(wait=False, cancel_futures=True)
    return await store.get(job_id)


__all__ = ["Dispatcher", "StoreDispatch", "default_worker_id", "run_one"]
