"""How many SSE watchers one API process holds, and what they cost it and the database.

    .venv/bin/python -m bench.queues.sse [--watchers 1000,10000] [--seconds 10] [--idle 31]

For each crowd size N, on a fresh `apiscope serve --no-execute` over the PostgreSQL store (a
schema of the benchmark's own database), from this separate client process:

1. connect: one `slow-progress` job is submitted and left pending (no worker runs yet); N
   streams of `GET /jobs/{id}/events` are opened until each has its first event;
2. idle: nothing changes for `--idle` seconds, longer than the watchers' 30 s re-read guard;
3. run: an `apiscope worker` starts, the job reports progress every 0.5 s for `--seconds`
   and completes; the window ends when the server has closed every stream.

Per window: the server's CPU seconds (utime + stime from /proc), its resident memory, and the
database's committed transactions (`pg_stat_database.xact_commit`, which shows whether watchers
cost the database per watcher or per change). PostgreSQL publishes those counters from a backend
at most once a second and an idle one's within 10 s, so a window's count is read after a quiet
`SETTLE` seconds, and the counts are good to about one second's worth of queries.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from apiscope.jobs.stores import open_store
from bench.queues import backends
from bench.queues.watchers import Crowd, open_crowd, wait_until
from bench.queues.workers import (
    WorkerSpec,
    cancel_on_sigterm,
    cpu_seconds,
    rss_mib,
    spawn,
    started,
    stop_processes,
    tail,
)
from bench.server import HOST, free_port

SCHEMA = "bench_sse"
URL = f"{backends.PG_URL}?schema={SCHEMA}"
SETTLE = 11.0
RESULTS = backends.REPO_ROOT / "bench" / "results" / "sse.json"
APISCOPE = str(Path(sys.executable).parent / "apiscope")
ENV = {
    "APISCOPE_STORE": URL,
    "APISCOPE_JOB_KINDS": "bench.jobkinds:registry",
    "PYTHONPATH": backends.pythonpath(),
}


def raise_nofile() -> None:
    """Let this process hold as many sockets as the hard limit allows."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def http(method: str, url: str, body: object = None) -> Any:
    """One small control request (synchronous: call it in a thread)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


@asynccontextmanager
async def serving(port: int, log: Path) -> AsyncIterator[subprocess.Popen[bytes]]:
    """`apiscope serve --no-execute` with a raised open-files limit; healthy, then stopped."""
    argv = [APISCOPE, "serve", "--no-execute", "--host", HOST, "--port", str(port)]
    proc = spawn(argv, ENV, log, preexec_fn=raise_nofile)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                await asyncio.to_thread(http, "GET", f"http://{HOST}:{port}/healthz")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(tail(log)) from None
                await asyncio.sleep(0.2)
        yield proc
    finally:
        await asyncio.to_thread(stop_processes, [proc])


async def commits(settle: float) -> int:
    """Transactions committed in the benchmark's database so far, read after `settle` s."""
    await asyncio.sleep(settle)
    return await backends.database_commits()


class Meter:
    """The server's CPU, peak memory and the database's commits, window by window."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_rss = rss_mib(pid)
        self._cpu = cpu_seconds(pid)
        self._commits = 0
        self._sampler = asyncio.create_task(self._sample())

    async def _sample(self) -> None:
        while True:
            self.peak_rss = max(self.peak_rss, rss_mib(self.pid))
            await asyncio.sleep(0.25)

    async def start(self, settle: float = SETTLE) -> None:
        """Begin the first window."""
        self._commits = await commits(settle)
        self._cpu = cpu_seconds(self.pid)

    async def window(self, seconds: float, settle: float = SETTLE) -> dict[str, Any]:
        """Close the current window (lasting `seconds` of activity) and begin the next."""
        cpu = cpu_seconds(self.pid)
        count = await commits(settle)
        result = {
            "seconds": round(seconds, 2),
            "server_cpu_s": round(cpu - self._cpu, 2),
            "server_cpu_pct": round(100 * (cpu - self._cpu) / max(seconds, 1e-9), 1),
            "db_commits": count - self._commits,
            "server_rss_mib": round(rss_mib(self.pid), 1),
        }
        self._commits, self._cpu = count, cpu_seconds(self.pid)
        return result

    def stop(self) -> None:
        """Stop sampling memory."""
        self._sampler.cancel()


async def run_crowd(args: argparse.Namespace, watchers: int, logs: Path) -> dict[str, Any]:
    """One crowd size on a fresh server: the three windows and what the watchers received."""
    port = free_port()
    base = f"http://{HOST}:{port}"
    async with serving(port, logs / f"server-{watchers}.log") as server:
        meter = Meter(server.pid)
        idle_rss = rss_mib(server.pid)
        params = {"seconds": args.seconds, "interval": 0.5}
        job = await asyncio.to_thread(http, "POST", f"{base}/jobs/slow-progress", params)
        await meter.start()
        report: dict[str, Any] = {"watchers": watchers, "server_rss_before_mib": idle_rss}
        crowd = await _connect(meter, report, port, job["job_id"], watchers)
        try:
            if args.idle:
                await asyncio.sleep(args.idle)
                report["idle"] = await meter.window(args.idle, settle=0.0)
            await _run(args, meter, report, crowd, base, job["job_id"])
        finally:
            crowd.close()
            meter.stop()
        report["server_rss_peak_mib"] = round(meter.peak_rss, 1)
        return report


async def _connect(meter: Meter, report: dict[str, Any], port: int, job_id: str, n: int) -> Crowd:
    started_at = time.monotonic()
    crowd = await open_crowd(HOST, port, job_id, n)
    all_in = await wait_until(crowd.with_first_event, n, timeout=180)
    took = time.monotonic() - started_at
    report["connect"] = {**await meter.window(took), "all_got_first_event": all_in}
    return crowd


async def _run(
    args: argparse.Namespace,
    meter: Meter,
    report: dict[str, Any],
    crowd: Crowd,
    base: str,
    job_id: str,
) -> None:
    worker = WorkerSpec([APISCOPE, "worker", "--concurrency", "1"], ENV)
    started_at = time.monotonic()
    async with started([worker]) as group:
        all_done = await wait_until(crowd.finished, len(crowd.watchers), args.seconds + 90)
        took = time.monotonic() - started_at
        group.check_alive()
    status = await asyncio.to_thread(http, "GET", f"{base}/status/{job_id}")
    completed_at = datetime.datetime.fromisoformat(status["updated_at"]).timestamp()
    report["run"] = {
        **await meter.window(took),
        "all_streams_closed": all_done,
        "job_status": status["status"],
        **crowd.summary(completed_at),
    }


async def benchmark(args: argparse.Namespace) -> dict[str, Any]:
    """Every crowd size on its own server; `sse.json` is rewritten after each one."""
    cancel_on_sigterm()
    raise_nofile()
    await backends.create_database()
    report: dict[str, Any] = {
        "config": {"seconds": args.seconds, "idle": args.idle, "progress_every_s": 0.5},
        "crowds": [],
    }
    try:
        await backends.fresh_schema(SCHEMA)
        store = open_store(URL)
        await store.upgrade()
        await store.close()
        with tempfile.TemporaryDirectory(prefix="bench-sse-") as logs:
            for n in args.watchers:
                print(f"{n} watchers ...", file=sys.stderr, flush=True)
                pg_started = await backends.server_started()
                crowd = await run_crowd(args, n, Path(logs))
                crowd["postgres_restarted"] = pg_started != await backends.server_started()
                report["crowds"].append(crowd)
                print(json.dumps(crowd), file=sys.stderr, flush=True)
                write(report)
    finally:
        await backends.drop_database()
    return report


def write(report: dict[str, Any]) -> None:
    """Stamp and write the results file."""
    report["date"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    report["machine"] = {"cpus": os.cpu_count(), "loadavg": os.getloadavg()}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")


def parse_args() -> argparse.Namespace:
    """The benchmark's command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--watchers", type=lambda s: [int(x) for x in s.split(",")], default=[1000, 10000]
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="how long the job runs")
    parser.add_argument("--idle", type=float, default=31.0, help="idle window (0: none)")
    return parser.parse_args()


def main() -> None:
    """Run it, print and write the JSON."""
    backends.check_loopback()
    result = asyncio.run(benchmark(parse_args()))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
