"""Engine throughput: no-op jobs from `JobEngine.submit` to `completed`, end to end, on the
SQLite store with the in-process executor, against the cost floor of recording a job durably.

The baseline does, per job, what any durable job system must at least do: one `asyncio` task,
one SQLite INSERT when it is accepted and one UPDATE when it is done, with the stdlib `sqlite3`
on the event loop, on a file with the store's settings (WAL, synchronous=NORMAL, one autocommit
transaction per statement). The engine on the `memory://` store is a second, informative row:
the same engine without SQLite, separating the engine's own overhead from the store's.
"""

from __future__ import annotations

import asyncio
import sqlite3
import tempfile
import time
import uuid
from pathlib import Path

from apiscope.jobs import ExecutorOptions, JobEngine, JobStatus
from bench.jobkinds import registry
from bench.results import Row, markdown

NAME = "throughput"
POLL = 0.02
"""Seconds between two completion checks: small against a run of several seconds."""
TIMEOUT = 120.0


async def engine_run(url: str, jobs: int, concurrency: int) -> float:
    """Seconds from the first submission until the store counts every job completed."""
    options = ExecutorOptions(concurrency=concurrency)
    async with JobEngine.from_url(url, registry, options=options).running() as engine:
        started = time.perf_counter()
        await asyncio.gather(*(engine.submit("noop", {}) for _ in range(jobs)))
        while (await engine.store.stats()).by_status[JobStatus.COMPLETED] < jobs:
            if time.perf_counter() - started > TIMEOUT:
                raise TimeoutError(f"{jobs} no-op jobs did not complete in {TIMEOUT:g} s")
            await asyncio.sleep(POLL)
        return time.perf_counter() - started


def _floor_db(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(
        "CREATE TABLE jobs (id TEXT PRIMARY KEY, kind TEXT, params TEXT, status TEXT, "
        "result TEXT, created_at REAL, updated_at REAL)"
    )
    return conn


async def baseline_run(path: Path, jobs: int) -> float:
    """Seconds for `jobs` bare tasks that each insert a row, yield once, and mark it done."""
    conn = _floor_db(path)

    async def job() -> None:
        job_id = str(uuid.uuid4())
        conn.execute(
            "INSERT INTO jobs VALUES (?, 'noop', '{}', 'pending', NULL, ?, ?)",
            (job_id, time.time(), time.time()),
        )
        await asyncio.sleep(0)  # the no-op "job"
        conn.execute(
            "UPDATE jobs SET status = 'completed', result = '{}', updated_at = ? WHERE id = ?",
            (time.time(), job_id),
        )

    try:
        started = time.perf_counter()
        await asyncio.gather(*(asyncio.create_task(job()) for _ in range(jobs)))
        return time.perf_counter() - started
    finally:
        conn.close()


async def run(jobs: int = 2000, concurrency: int = 8, repeats: int = 5) -> list[Row]:
    """`repeats` runs of each side in rotating order; the median run of each side is reported."""
    seconds: dict[str, list[float]] = {"sqlite": [], "memory": [], "floor": []}
    with tempfile.TemporaryDirectory(prefix="apiscope-bench-") as tmp:
        for rep in range(repeats):
            order = list(seconds)[rep % 3 :] + list(seconds)[: rep % 3]
            for side in order:
                if side == "floor":
                    took = await baseline_run(Path(tmp) / f"floor-{rep}.db", jobs)
                else:
                    url = f"sqlite:///{tmp}/engine-{rep}.db" if side == "sqlite" else "memory://"
                    took = await engine_run(url, jobs, concurrency)
                seconds[side].append(took)
    rate = {side: jobs / sorted(runs)[len(runs) // 2] for side, runs in seconds.items()}
    note = f"{jobs} jobs, median of {repeats} runs, executor concurrency {concurrency}"
    return [
        Row(NAME, "no-op jobs/s end to end: engine on SQLite vs INSERT+UPDATE floor",
            rate["sqlite"], rate["floor"], "jobs/s", True, note),
        Row(NAME, "no-op jobs/s end to end: engine on memory:// vs INSERT+UPDATE floor",
            rate["memory"], rate["floor"], "jobs/s", True, note),
    ]  # fmt: skip


def main() -> None:
    """`python -m bench.throughput`: run this benchmark alone."""
    print(markdown(asyncio.run(run())))


if __name__ == "__main__":
    main()
