"""Job kinds the benchmarks submit, plugged into the server with
`APISCOPE_JOB_KINDS=bench.jobkinds:registry` (and used directly by the throughput benchmark)."""

from __future__ import annotations

import asyncio
import random
import time

from pydantic import BaseModel, Field

from apiscope.jobs import JobContext, JobRegistry, SyncContext

registry = JobRegistry()

PROGRESS_EVERY = 50
"""Loops between two progress reports of the thread kind: a few tens of milliseconds, as a
real job reporting fine-grained progress would."""


class CpuParams(BaseModel):
    seconds: float = Field(default=1.0, ge=0, le=60)


def burn(seconds: float) -> int:
    """Keep one core busy in pure Python for `seconds`; module-level so a process pool can
    pickle it by reference. Returns the loops done, so the work cannot be optimised away."""
    deadline = time.monotonic() + seconds
    loops = 0
    while time.monotonic() < deadline:
        sum(range(10_000))
        loops += 1
    return loops


@registry.job("noop")
async def noop(ctx: JobContext, params: dict[str, object]) -> dict[str, object]:
    """Does nothing, so what is measured is the engine's own cost per job."""
    return {}


@registry.job("cpu", timeout=120)
async def cpu(ctx: JobContext, params: CpuParams) -> dict[str, int]:
    """CPU-heavy work the recommended way: in the engine's process pool, off the GIL."""
    return {"loops": await ctx.run_in_process(burn, params.seconds)}


@registry.job("cpu-thread", timeout=120)
def cpu_thread(ctx: SyncContext, params: CpuParams) -> dict[str, int]:
    """The same work as a plain handler in a thread: it shares the GIL with the event loop."""
    deadline = time.monotonic() + params.seconds
    loops = 0
    while time.monotonic() < deadline:
        sum(range(10_000))
        loops += 1
        if loops % PROGRESS_EVERY == 0:
            left = max(0.0, deadline - time.monotonic())
            ctx.progress(min(99.0, 100 * (1 - left / max(params.seconds, 1e-9))))
    return {"loops": loops}


class SlowProgressParams(BaseModel):
    seconds: float = Field(default=10.0, gt=0, le=600)
    interval: float = Field(default=0.5, gt=0, le=60)


@registry.job("slow-progress", timeout=900)
async def slow_progress(ctx: JobContext, params: SlowProgressParams) -> dict[str, int]:
    """A long job that reports progress, with a new message, every `interval` seconds: something
    for the SSE benchmark's watchers to follow (each report is one stored change)."""
    ticks = max(1, round(params.seconds / params.interval))
    for tick in range(1, ticks + 1):
        await asyncio.sleep(params.interval)
        await ctx.progress(min(99.0, 100 * tick / ticks), f"tick {tick} of {ticks}")
    return {"ticks": ticks}


class FaultWorkParams(BaseModel):
    n: int = Field(ge=0)
    log: str
    """A file that gets one "job_id result" line per execution, from any process."""


def fault_result(n: int) -> str:
    """The one right result of fault-work job `n`: derived from its parameters only."""
    return f"r{n * n}"


@registry.job("fault-work")
def fault_work(ctx: SyncContext, params: FaultWorkParams) -> dict[str, str]:
    """Short random work for the fault suite (bench/faults): logs each execution, so re-runs
    and diverging results can be counted after processes were killed mid-job."""
    time.sleep(random.uniform(0.02, 0.2))
    result = fault_result(params.n)
    with open(params.log, "a") as out:  # O_APPEND: whole lines, even from many processes
        out.write(f"{ctx.job_id} {result}\n")
    return {"result": result}
