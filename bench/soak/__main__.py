"""`python -m bench.soak --minutes 10 --clients 64 [--store sqlite|postgres]`: a sustained load
run against `apiscope serve`. Prints the per-minute table and the memory verdict, writes
bench/results/soak-<store>.json, and exits 1 if a request failed, a job did not finish, a
process died, or a process's memory grew once warm."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from bench.faults.processes import ROOT
from bench.load import connections
from bench.soak import deployment
from bench.soak.clients import Recorder, Workload, client
from bench.soak.report import growth, job_account, markdown, overall, windows
from bench.soak.sampler import ProcessSample, sample_until

RESULTS = ROOT / "bench" / "results"
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
DRAIN_SECONDS = 120.0
"""After the deadline, clients finish the job in hand within this bound."""


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__)
    parser.add_argument("--store", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=64, help="concurrent users, one socket each")
    parser.add_argument("--keys", type=int, default=8, help="API keys the clients share")
    parser.add_argument("--concurrency", type=int, default=32, help="jobs at once per process")
    parser.add_argument("--workers", type=int, default=2, help="`apiscope worker`s (postgres)")
    parser.add_argument("--job-seconds", type=float, default=1.0)
    parser.add_argument("--poll-interval", type=float, default=0.25)
    parser.add_argument("--demo-share", type=float, default=0.02)
    parser.add_argument("--sample-seconds", type=float, default=5.0)
    parser.add_argument("--warmup-minutes", type=float, default=2.0)
    parser.add_argument("--window-seconds", type=float, default=60.0)
    parser.add_argument("--output", type=Path, help="default: bench/results/soak-<store>.json")
    parser.add_argument(
        "--postgres-url", default=os.environ.get("APISCOPE_TEST_POSTGRES_URL", DEFAULT_POSTGRES)
    )
    args = parser.parse_args(argv)
    if args.minutes <= 0 or min(args.clients, args.keys, args.concurrency, args.workers) < 1:
        parser.error("--minutes must be positive; --clients, --keys, --concurrency, --workers ≥ 1")
    if not 0 <= args.demo_share <= 1:
        parser.error("--demo-share is a share between 0 and 1")
    args.output = args.output or RESULTS / f"soak-{args.store}.json"
    return args


def deploy(
    args: argparse.Namespace, folder: Path, keys: tuple[str, ...]
) -> contextlib.AbstractAsyncContextManager[deployment.Deployment]:
    """The processes for `--store`."""
    if args.store == "sqlite":
        return deployment.sqlite(folder, keys, args.concurrency)
    return deployment.postgres(folder, keys, args.concurrency, args.postgres_url, args.workers)


async def soak(args: argparse.Namespace, folder: Path) -> dict[str, object]:
    """Start the processes, load them for the run's length, and account for everything."""
    keys = tuple(f"soak-key-{i}" for i in range(args.keys))
    workload = Workload(keys, args.job_seconds, args.poll_interval, args.demo_share)
    async with deploy(args, folder, keys) as deployed:
        started = time.perf_counter()
        recorder = Recorder(started)
        stop = asyncio.Event()
        sampling = asyncio.create_task(
            sample_until(
                deployed.pids(),
                deployed.store_files,
                started=started,
                interval=args.sample_seconds,
                stop=stop,
            )
        )
        try:
            async with connections(deployment.HOST, deployed.port, args.clients) as conns:
                deadline = started + 60 * args.minutes
                loops = (client(i, c, workload, recorder, deadline) for i, c in enumerate(conns))
                await asyncio.wait_for(asyncio.gather(*loops), 60 * args.minutes + DRAIN_SECONDS)
        finally:
            stop.set()
            samples = await sampling
        crashes = deployed.crashes()
    seconds = time.perf_counter() - started
    return account(args, recorder, samples, seconds, crashes)


def account(
    args: argparse.Namespace,
    recorder: Recorder,
    samples: dict[str, list[ProcessSample]],
    seconds: float,
    crashes: int,
) -> dict[str, object]:
    """Everything the run measured, and whether it was healthy."""
    memory = {
        name: growth(readings, 60 * args.warmup_minutes) for name, readings in samples.items()
    }
    rows = windows(recorder, samples, seconds, args.window_seconds)
    jobs = job_account(recorder)
    healthy = (
        not recorder.errors
        and jobs.get("completed", 0) == jobs["submitted"]
        and crashes == 0
        and not any(m.grows for m in memory.values())
    )
    return {
        "settings": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "seconds": round(seconds, 1),
        "jobs": jobs,
        "requests": overall(recorder, seconds),
        "memory": {name: {**asdict(m), "grows": m.grows} for name, m in memory.items()},
        "crashes": crashes,
        "error_examples": recorder.examples,
        "windows": [asdict(w) for w in rows],
        "table": markdown(rows),
        "samples": {name: [asdict(s) for s in readings] for name, readings in samples.items()},
        "healthy": healthy,
    }


def summary(data: dict[str, object]) -> str:
    """The per-window table, then the totals and the memory verdict, for a terminal."""
    totals = {k: data[k] for k in ("jobs", "requests", "memory", "crashes", "healthy")}
    return f"{data['table']}\n\n{json.dumps(totals, indent=2)}"


def main(argv: list[str]) -> int:
    args = parse(argv)
    with tempfile.TemporaryDirectory(prefix="apiscope-soak-") as folder:
        data = asyncio.run(soak(args, Path(folder)))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(data, indent=2) + "\n")
    print(summary(data))
    return 0 if data["healthy"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
