"""Responsiveness: `GET /status/{id}` latency while two CPU-heavy jobs run in the server,
against the same requests with no job running, measured back to back in one run.

Two ways to run CPU-heavy job code are compared: the process-pool kind (`ctx.run_in_process`,
the design's recommendation: off the event loop and off the GIL) and a plain sync handler in a
thread, which shares the GIL with the event loop that answers status requests. On a 2-core
machine two busy processes also take the cores the server and this client need, so even the
process-pool row cannot be free; what it shows is how much is left.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

import httpx

from bench.load import Connection, Request, Sample, connections, drive
from bench.results import Row, markdown
from bench.server import job_status, running_server, submit_job, wait_for

NAME = "responsiveness"
KINDS = {"cpu": "2 jobs in the process pool", "cpu-thread": "2 sync jobs in threads"}
SETTLE = 0.3
"""Seconds between both jobs reporting `processing` and the window opening, so they are burning."""
MARGIN = 2.0
"""Seconds a CPU job outlasts the window, so the whole window is under load."""


async def _warm_up(http: httpx.AsyncClient) -> str:
    """Start the process pool's workers and the code paths; the id of a finished job to poll."""
    ids = [await submit_job(http, kind, {"seconds": 0.2}) for kind in KINDS for _ in range(2)]
    ids.append(await submit_job(http, "noop", {}))
    await wait_for(http, ids, {"completed"}, timeout=60)
    return ids[-1]


async def _under_load(
    http: httpx.AsyncClient, conn: Connection, status: Request, kind: str, window: float
) -> tuple[Sample, bool]:
    """Status latencies during a window in which two `kind` jobs run; whether they outlasted it."""
    jobs = [await submit_job(http, kind, {"seconds": window + MARGIN}) for _ in range(2)]
    await wait_for(http, jobs, {"processing"}, timeout=30)
    await asyncio.sleep(SETTLE)
    sample = await drive([conn], status, expect=200, seconds=window)
    outlasted = all([await job_status(http, job) == "processing" for job in jobs])
    await wait_for(http, jobs, {"completed"}, timeout=window + MARGIN + 60)
    return sample, outlasted


async def run(window: float = 3.0, repeats: int = 3) -> list[Row]:
    """For each CPU kind, `repeats` pairs of (idle window, loaded window), pooled per side."""
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="apiscope-bench-") as tmp:
        async with (
            running_server(Path(tmp)) as server,
            server.control() as http,
            connections(server.host, server.port, 1) as conns,
        ):
            status = Request.build("GET", f"/status/{await _warm_up(http)}")
            for kind, label in KINDS.items():
                idle, loaded, outlasted = Sample(), Sample(), True
                for _ in range(repeats):
                    idle.extend(await drive(conns, status, expect=200, seconds=window))
                    sample, ok = await _under_load(http, conns[0], status, kind, window)
                    loaded.extend(sample)
                    outlasted = outlasted and ok
                rows += _rows(label, idle, loaded, outlasted)
    return rows


def _rows(label: str, idle: Sample, loaded: Sample, outlasted: bool) -> list[Row]:
    note = f"{len(loaded.latencies)} vs {len(idle.latencies)} sequential requests"
    if not outlasted:
        note += "; WARNING: a job finished before its window ended"
    return [
        Row(NAME, f"p{pct} GET /status: {label} vs no jobs", loaded.ms(pct), idle.ms(pct),
            "ms", False, note)
        for pct in (50, 99)
    ]  # fmt: skip


def main() -> None:
    """`python -m bench.responsiveness`: run this benchmark alone."""
    print(markdown(asyncio.run(run())))


if __name__ == "__main__":
    main()
