"""Procrastinate 3.10 on the same PostgreSQL server and database as apiscope, in a schema of its
own: its `procrastinate worker` command, and submissions through `Task.defer_async`.

The module is also the worker's `--app`: it defines the App and the `noop` task (building the
App opens nothing; connections open when the worker or the trial opens it).
"""

from __future__ import annotations

import sys
from pathlib import Path

import procrastinate  # type: ignore[import-not-found, unused-ignore]
import psycopg

from bench.queues import backends
from bench.queues.submits import timed_submits
from bench.queues.workers import WorkerGroup, WorkerSpec

POOL_SIZE = 10
"""The same connection pool bound as apiscope's PostgreSQL store."""
SCHEMA = backends.PROCRASTINATE_SCHEMA
SUCCEEDED = f"SELECT count(*) FROM {SCHEMA}.procrastinate_jobs WHERE status = 'succeeded'"
WORKERS = f"SELECT count(*) FROM {SCHEMA}.procrastinate_workers"

app = procrastinate.App(
    connector=procrastinate.PsycopgConnector(
        conninfo=backends.PG_URL,
        kwargs={"options": f"-c search_path={SCHEMA}"},
        min_size=1,
        max_size=POOL_SIZE,
    )
)


@app.task(name="noop")  # type: ignore[misc, untyped-decorator, unused-ignore]
async def noop() -> None:
    """Does nothing, like apiscope's `noop` kind."""


class ProcrastinateQueue:
    """Procrastinate on PostgreSQL, driven like the other queues."""

    name = "procrastinate"
    pool = "asyncio (`procrastinate worker --concurrency N`)"

    def __init__(self) -> None:
        self._monitor: psycopg.AsyncConnection[tuple[object, ...]] | None = None
        self._workers = 0
        self._open = False

    async def reset(self) -> None:
        """An empty schema with Procrastinate's tables, as `procrastinate schema --apply` makes."""
        await backends.fresh_schema(SCHEMA)
        async with app.open_async():
            await app.schema_manager.apply_schema_async()

    def worker_specs(self, workers: int, concurrency: int) -> list[WorkerSpec]:
        """`procrastinate worker --concurrency N` processes, logging warnings only."""
        self._workers = workers
        command = str(Path(sys.executable).parent / "procrastinate")
        argv = [
            command, "--log-level=warning", f"--app={__name__}.app",
            "worker", f"--concurrency={concurrency}",
        ]  # fmt: skip
        return [WorkerSpec(argv, {"PYTHONPATH": backends.pythonpath()}) for _ in range(workers)]

    async def ready(self, group: WorkerGroup) -> bool:
        """Procrastinate registers each running worker in its `procrastinate_workers` table."""
        assert self._monitor is not None
        return await backends.scalar(self._monitor, WORKERS) == self._workers

    async def open(self) -> None:
        """Open the App's pool for deferring, and a counting connection."""
        await app.open_async()
        self._open = True
        self._monitor = await backends.connect()

    async def submit_many(self, count: int, inflight: int) -> list[float]:
        """`noop.defer_async()`, timed per call."""
        return await timed_submits(noop.defer_async, count, inflight)

    async def completed(self) -> int:
        """Jobs Procrastinate records as succeeded."""
        assert self._monitor is not None
        return await backends.scalar(self._monitor, SUCCEEDED)

    async def broker_pids(self) -> list[int]:
        """PostgreSQL's processes for the benchmark's database."""
        return await backends.backend_pids()

    async def close(self) -> None:
        """Close the App's pool and the counting connection."""
        if self._open:
            await app.close_async()
        if self._monitor is not None:
            await self._monitor.close()
