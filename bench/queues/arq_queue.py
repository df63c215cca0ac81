"""arq 0.28 on the machine's Redis (a numbered database of the benchmark's own): the `arq`
worker command, and submissions through `ArqRedis.enqueue_job`.

arq's worker polls its queue every `poll_delay` (0.5 s by default), but each poll keeps starting
jobs as slots free up, so a busy queue drains without waiting for the next poll: its defaults are
used (`BENCH_ARQ_POLL_DELAY` changes the delay for an experiment). The module is also the
worker's settings (`arq bench.queues.arq_queue.WorkerSettings`).
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any, ClassVar

from arq import create_pool  # type: ignore[import-not-found, unused-ignore]
from arq.connections import RedisSettings  # type: ignore[import-not-found, unused-ignore]
from arq.worker import func  # type: ignore[import-not-found, unused-ignore]

from bench.queues import backends
from bench.queues.submits import timed_submits
from bench.queues.workers import WorkerGroup, WorkerSpec

RESULT_KEY = "arq:result:"
READY = "bench: arq worker ready"
POLL_DELAY = float(os.environ.get("BENCH_ARQ_POLL_DELAY", "0.5"))
REDIS = RedisSettings.from_dsn(backends.redis_url("arq"))


async def noop(ctx: dict[str, Any]) -> None:
    """Does nothing, like apiscope's `noop` kind."""


async def _startup(ctx: dict[str, Any]) -> None:
    """Say the worker runs (the readiness probe reads it), then log warnings only: arq logs
    every job at INFO, which the other systems' workers are not asked to do either."""
    logging.getLogger("arq").warning(READY)
    logging.getLogger("arq").setLevel(logging.WARNING)


class WorkerSettings:
    """The `arq` command's settings: the `noop` function, N jobs at once."""

    functions: ClassVar[list[Any]] = [func(noop, name="noop")]
    redis_settings = REDIS
    max_jobs = int(os.environ.get("BENCH_ARQ_MAX_JOBS", "8"))
    poll_delay = POLL_DELAY
    on_startup = _startup


class ArqQueue:
    """arq on Redis, driven like the other queues."""

    name = "arq"
    pool = f"asyncio (`arq` worker, max_jobs N, poll_delay {POLL_DELAY:g} s)"

    def __init__(self) -> None:
        self._redis: Any = None
        self._ids: list[str] = []
        self._workers = 0

    async def reset(self) -> None:
        """An empty Redis database."""
        await backends.flush_redis("arq")

    def worker_specs(self, workers: int, concurrency: int) -> list[WorkerSpec]:
        """`arq` worker processes with `max_jobs` = concurrency."""
        self._workers = workers
        command = str(Path(sys.executable).parent / "arq")
        env = {"PYTHONPATH": backends.pythonpath(), "BENCH_ARQ_MAX_JOBS": str(concurrency)}
        argv = [command, f"{__name__}.WorkerSettings"]
        return [WorkerSpec(argv, env) for _ in range(workers)]

    async def ready(self, group: WorkerGroup) -> bool:
        """Each worker logs one line from its startup hook."""
        return group.logs_matching(READY) == self._workers

    async def open(self) -> None:
        """The client pool, which also counts finished jobs."""
        self._redis = await create_pool(REDIS)

    async def _submit(self) -> None:
        job = await self._redis.enqueue_job("noop")
        self._ids.append(job.job_id)

    async def submit_many(self, count: int, inflight: int) -> list[float]:
        """`enqueue_job("noop")`, timed per call."""
        return await timed_submits(self._submit, count, inflight)

    async def completed(self) -> int:
        """Jobs whose result arq keeps."""
        keys = [RESULT_KEY + job_id for job_id in self._ids]
        return int(await self._redis.exists(*keys)) if keys else 0

    async def broker_pids(self) -> list[int]:
        """The Redis server."""
        return [await backends.redis_pid()]

    async def close(self) -> None:
        """Close the client pool."""
        if self._redis is not None:
            await self._redis.aclose()
