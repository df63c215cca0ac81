"""apiscope in its queue + workers shape: the PostgreSQL store in a schema of its own,
`apiscope worker` processes, and submissions through `JobEngine.submit` with `execute=False`,
exactly as `apiscope serve --no-execute` submits."""

from __future__ import annotations

import sys
from pathlib import Path

import psycopg

from apiscope.jobs import JobEngine
from apiscope.jobs.stores import open_store
from bench.jobkinds import registry
from bench.queues import backends
from bench.queues.submits import timed_submits
from bench.queues.workers import WorkerGroup, WorkerSpec

URL = f"{backends.PG_URL}?schema={backends.APISCOPE_SCHEMA}"
COMPLETED = (
    f"SELECT count(*) FROM {backends.APISCOPE_SCHEMA}.apiscope_jobs WHERE status = 'completed'"
)


class ApiscopeQueue:
    """apiscope's job engine on PostgreSQL, driven like the other queues."""

    name = "apiscope"
    pool = "asyncio (`apiscope worker --concurrency N`)"

    def __init__(self) -> None:
        self._engine: JobEngine | None = None
        self._monitor: psycopg.AsyncConnection[tuple[object, ...]] | None = None
        self._workers = 0

    async def reset(self) -> None:
        """An empty schema, migrated as `apiscope db upgrade` does."""
        await backends.fresh_schema(backends.APISCOPE_SCHEMA)
        store = open_store(URL)
        await store.upgrade()
        await store.close()

    def worker_specs(self, workers: int, concurrency: int) -> list[WorkerSpec]:
        """`apiscope worker --concurrency N` processes on the benchmark's schema."""
        self._workers = workers
        command = str(Path(sys.executable).parent / "apiscope")
        env = {
            "APISCOPE_STORE": URL,
            "APISCOPE_JOB_KINDS": "bench.jobkinds:registry",
            "PYTHONPATH": backends.pythonpath(),
        }
        argv = [command, "worker", "--concurrency", str(concurrency)]
        return [WorkerSpec(argv, env) for _ in range(workers)]

    async def ready(self, group: WorkerGroup) -> bool:
        """Each worker logs one line once its engine runs."""
        return group.logs_matching("worker running") == self._workers

    async def open(self) -> None:
        """A submitting engine, as an API process holds one, and a counting connection."""
        self._engine = JobEngine(open_store(URL), registry, execute=False)
        await self._engine.start()
        self._monitor = await backends.connect()

    async def submit_many(self, count: int, inflight: int) -> list[float]:
        """`engine.submit("noop", {})`, timed per call."""
        engine = self._engine
        assert engine is not None
        return await timed_submits(lambda: engine.submit("noop", {}), count, inflight)

    async def completed(self) -> int:
        """Jobs the store records as completed."""
        assert self._monitor is not None
        return await backends.scalar(self._monitor, COMPLETED)

    async def broker_pids(self) -> list[int]:
        """PostgreSQL's processes for the benchmark's database."""
        return await backends.backend_pids()

    async def close(self) -> None:
        """Stop the engine and close the counting connection."""
        if self._engine is not None:
            await self._engine.stop()
        if self._monitor is not None:
            await self._monitor.close()
