"""Celery 5.7 on the machine's Redis (broker and result backend in two numbered databases of the
benchmark's own): the `celery worker` command with the threads pool, and submissions through
`Task.apply_async`.

The threads pool, not the default prefork, because it matches the other systems' shape (one
process running N jobs at once) and a no-op task gains nothing from a process per slot. The
module is also the worker's `-A` app.
"""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from pathlib import Path
from typing import Any

import redis  # type: ignore[import-not-found, unused-ignore]
from celery import Celery  # type: ignore[import-not-found, unused-ignore]

from bench.queues import backends
from bench.queues.workers import WorkerGroup, WorkerSpec

RESULT_KEY = "celery-task-meta-"

app = Celery(
    "bench",
    broker=backends.redis_url("celery-broker"),
    backend=backends.redis_url("celery-results"),
)
app.conf.update(broker_connection_retry_on_startup=True, worker_hijack_root_logger=False)


@app.task(name="noop")  # type: ignore[misc, untyped-decorator, unused-ignore]
def noop() -> None:
    """Does nothing, like apiscope's `noop` kind."""


def _submit_lane(count: int, latencies: list[float], ids: list[str]) -> None:
    for _ in range(count):
        started_at = time.perf_counter()
        result = noop.apply_async()
        latencies.append(time.perf_counter() - started_at)
        ids.append(result.id)


class CeleryQueue:
    """Celery on Redis, driven like the other queues (its client is synchronous: threads)."""

    name = "celery"
    pool = "threads (`celery worker --pool threads --concurrency N`)"

    def __init__(self) -> None:
        self._results: Any = None
        self._ids: list[str] = []
        self._workers = 0

    async def reset(self) -> None:
        """Empty broker and result databases."""
        await backends.flush_redis("celery-broker", "celery-results")

    def worker_specs(self, workers: int, concurrency: int) -> list[WorkerSpec]:
        """`celery worker` processes with the threads pool, logging warnings only; gossip,
        mingle and heartbeats off, as is usual where workers need not know each other."""
        self._workers = workers
        env = {"PYTHONPATH": backends.pythonpath()}
        return [WorkerSpec(_worker_argv(index, concurrency), env) for index in range(workers)]

    async def ready(self, group: WorkerGroup) -> bool:
        """Every worker answers a remote-control ping."""
        replies = await asyncio.to_thread(app.control.ping, timeout=0.5)
        return len(replies) == self._workers

    async def open(self) -> None:
        """A connection to the result database, for counting finished tasks."""
        self._results = redis.Redis.from_url(backends.redis_url("celery-results"))

    async def submit_many(self, count: int, inflight: int) -> list[float]:
        """`noop.apply_async()`, timed per call, from `inflight` threads."""
        latencies: list[float] = []
        shares = [count // inflight + (i < count % inflight) for i in range(inflight)]
        lanes = [
            threading.Thread(target=_submit_lane, args=(n, latencies, self._ids)) for n in shares
        ]
        await asyncio.to_thread(_run_all, lanes)
        return latencies

    async def completed(self) -> int:
        """Tasks whose result the backend holds."""
        keys = [RESULT_KEY + task_id for task_id in self._ids]
        return int(await asyncio.to_thread(self._results.exists, *keys)) if keys else 0

    async def broker_pids(self) -> list[int]:
        """The Redis server."""
        return [await backends.redis_pid()]

    async def close(self) -> None:
        """Close the counting connection."""
        if self._results is not None:
            self._results.close()


def _worker_argv(index: int, concurrency: int) -> list[str]:
    command = str(Path(sys.executable).parent / "celery")
    return [
        command, "-A", __name__, "worker", "--pool=threads", f"--concurrency={concurrency}",
        f"--hostname=bench{index}@%h", "--loglevel=WARNING",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip


def _run_all(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
