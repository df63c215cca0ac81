"""One trial of one job queue: fresh storage, worker processes started from the system's own
command line, then the phases driven from this one process, and one JSON line on stdout.

    python -m bench.queues.trial SYSTEM [--jobs N] [--sequential N] [--inflight K] ...

The phases, each ending only once the system's own result storage counts every job done:

- prefill and drain: N jobs are enqueued before any worker runs (the enqueue cost alone), then
  the workers start and empty the queue (the workers' throughput alone, timed from the moment
  they are all ready);
- warm-up: a few jobs, sequentially, so connections and imports are warm (not reported);
- sequential: one enqueue call at a time, each timed (the submit latency an API handler sees);
- burst: N jobs with K enqueue calls in flight, timed from the first submission until the last
  completion is observed (end-to-end throughput).

The run script (`bench.queues.run`) starts each trial in its own interpreter, because no one
virtualenv can hold every system (see `setup.sh`).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from bench.queues import backends
from bench.queues.workers import (
    WorkerGroup,
    WorkerSpec,
    cancel_on_sigterm,
    started,
    total_cpu,
)
from bench.results import percentile

SYSTEMS = {
    "apiscope": "bench.queues.apiscope_queue:ApiscopeQueue",
    "procrastinate": "bench.queues.procrastinate_queue:ProcrastinateQueue",
    "celery": "bench.queues.celery_queue:CeleryQueue",
    "arq": "bench.queues.arq_queue:ArqQueue",
}
POLL = 0.02
"""Seconds between two completion counts: small against a phase of several seconds."""
PHASE_TIMEOUT = 120.0


class Queue(Protocol):
    """What a trial needs of a job queue under test."""

    name: str
    pool: str
    """How its workers run jobs, for the report."""

    async def reset(self) -> None: ...
    def worker_specs(self, workers: int, concurrency: int) -> list[WorkerSpec]: ...
    async def ready(self, group: WorkerGroup) -> bool: ...
    async def open(self) -> None: ...
    async def submit_many(self, count: int, inflight: int) -> list[float]: ...
    async def completed(self) -> int: ...
    async def broker_pids(self) -> list[int]: ...
    async def close(self) -> None: ...


@dataclass(slots=True)
class Phase:
    """What one phase measured."""

    jobs: int
    inflight: int
    latencies: list[float]
    submit_seconds: float
    total_seconds: float
    cpu: dict[str, float]

    def summary(self) -> dict[str, Any]:
        """The phase's numbers as reported."""
        return {
            "jobs": self.jobs,
            "inflight": self.inflight,
            "submit_p50_ms": 1000 * percentile(self.latencies, 50),
            "submit_p99_ms": 1000 * percentile(self.latencies, 99),
            "submit_mean_ms": 1000 * sum(self.latencies) / len(self.latencies),
            "submits_per_s": self.jobs / self.submit_seconds,
            "jobs_per_s": self.jobs / self.total_seconds,
            "seconds": self.total_seconds,
            "cpu_ms_per_job": {k: 1000 * v / self.jobs for k, v in self.cpu.items()},
        }


def _cpu(group: WorkerGroup, pids: list[int]) -> dict[str, float]:
    return {
        "client": time.process_time(),
        "workers": total_cpu(group.pids),
        "broker": total_cpu(pids),
    }


async def _wait_done(queue: Queue, group: WorkerGroup, target: int) -> None:
    deadline = time.perf_counter() + PHASE_TIMEOUT
    while await queue.completed() < target:
        group.check_alive()
        if time.perf_counter() > deadline:
            done = await queue.completed()
            raise TimeoutError(f"{queue.name}: {done} of {target} jobs done in {PHASE_TIMEOUT:g} s")
        await asyncio.sleep(POLL)


async def run_phase(queue: Queue, group: WorkerGroup, jobs: int, inflight: int) -> Phase:
    """Submit `jobs` jobs and wait until the system counts them all done."""
    target = await queue.completed() + jobs
    pids = await queue.broker_pids()
    before = _cpu(group, pids)
    started_at = time.perf_counter()
    latencies = await queue.submit_many(jobs, inflight)
    submitted = time.perf_counter() - started_at
    await _wait_done(queue, group, target)
    total = time.perf_counter() - started_at
    after = _cpu(group, sorted(set(pids) | set(await queue.broker_pids())))
    cpu = {k: after[k] - before[k] for k in before}
    return Phase(jobs, inflight, latencies, submitted, total, cpu)


async def prefill(queue: Queue, jobs: int, inflight: int) -> dict[str, Any]:
    """Submit `jobs` jobs while no worker runs: the enqueue cost alone."""
    started_at = time.perf_counter()
    latencies = await queue.submit_many(jobs, inflight)
    took = time.perf_counter() - started_at
    return {
        "jobs": jobs,
        "inflight": inflight,
        "submits_per_s": jobs / took,
        "submit_p50_ms": 1000 * percentile(latencies, 50),
        "submit_p99_ms": 1000 * percentile(latencies, 99),
    }


async def drain(queue: Queue, group: WorkerGroup, jobs: int) -> dict[str, Any]:
    """From the moment the workers are ready, how fast they empty a full queue (jobs done
    while they were still starting are left out)."""
    pids = await queue.broker_pids()
    before = _cpu(group, pids)
    done_before = await queue.completed()
    started_at = time.perf_counter()
    await _wait_done(queue, group, jobs)
    took = time.perf_counter() - started_at
    after = _cpu(group, pids)
    counted = max(1, jobs - done_before)
    return {
        "jobs": counted,
        "done_while_starting": done_before,
        "jobs_per_s": counted / took,
        "cpu_ms_per_job": {k: 1000 * (after[k] - before[k]) / counted for k in before},
    }


def load_queue(name: str) -> Queue:
    """The system's driver, imported only when asked for (each needs its own packages)."""
    module, _, attr = SYSTEMS[name].partition(":")
    factory: Callable[[], Queue] = getattr(importlib.import_module(module), attr)
    return factory()


async def trial(args: argparse.Namespace) -> dict[str, Any]:
    """Reset, fill the queue, start workers, run the phases, and stop everything."""
    cancel_on_sigterm()
    queue = load_queue(args.system)
    await queue.reset()
    await queue.open()
    try:
        filled = await prefill(queue, args.drain, args.inflight)
        async with started(queue.worker_specs(args.workers, args.concurrency)) as group:
            await group.wait_ready(queue.ready)
            drained = await drain(queue, group, args.drain)
            await run_phase(queue, group, args.warmup, 1)
            sequential = await run_phase(queue, group, args.sequential, 1)
            burst = await run_phase(queue, group, args.jobs, args.inflight)
    finally:
        await queue.close()
    return {
        "system": queue.name,
        "pool": queue.pool,
        "workers": args.workers,
        "concurrency": args.concurrency,
        "prefill": filled,
        "drain": drained,
        "sequential": sequential.summary(),
        "burst": burst.summary(),
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The trial's command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("system", choices=sorted(SYSTEMS))
    parser.add_argument("--jobs", type=int, default=2500, help="jobs in the burst phase")
    parser.add_argument("--sequential", type=int, default=400, help="jobs submitted one by one")
    parser.add_argument("--drain", type=int, default=1500, help="jobs queued before workers start")
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--inflight", type=int, default=8, help="enqueue calls in flight")
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument("--concurrency", type=int, default=8, help="jobs at once per worker")
    return parser.parse_args(argv)


def main() -> None:
    """Run one trial; its numbers as one JSON line on stdout."""
    backends.check_loopback()
    result = asyncio.run(trial(parse_args()))
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
