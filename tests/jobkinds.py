"""Job kinds the tests run, in-process and inside `apiscope serve` subprocesses
(`APISCOPE_JOB_KINDS=tests.jobkinds:registry`)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from pydantic import BaseModel, Field

from apiscope.errors import PermanentJobFailure
from apiscope.jobs import (
    JobContext,
    JobRegistry,
    Pipeline,
    RetryPolicy,
    Step,
    StepContext,
    StepInputs,
    SyncContext,
)

registry = JobRegistry()


class SleepParams(BaseModel):
    seconds: float = Field(default=0.5, ge=0, le=60)
    steps: int = Field(default=5, ge=1, le=1000)


@registry.job("sleep", retry=RetryPolicy(max_attempts=2, base_delay=0.1))
async def sleep(ctx: JobContext, params: SleepParams) -> dict[str, float]:
    """Sleeps in slices, reporting progress after each."""
    for i in range(params.steps):
        await asyncio.sleep(params.seconds / params.steps)
        await ctx.progress(100 * (i + 1) / params.steps, f"Slept {i + 1} of {params.steps}")
    return {"slept": params.seconds}


@registry.job("echo")
async def echo(ctx: JobContext, params: dict[str, object]) -> dict[str, object]:
    """Returns its parameters."""
    return params


class FlakyParams(BaseModel):
    failures: int = 1
    marker: str
    """A file counting attempts, so the count survives process restarts."""


@registry.job("flaky", retry=RetryPolicy(max_attempts=3, base_delay=0.05, max_delay=0.2))
async def flaky(ctx: JobContext, params: FlakyParams) -> dict[str, int]:
    """Fails its first `failures` attempts."""
    marker = Path(params.marker)
    count = int(marker.read_text()) + 1 if marker.exists() else 1
    marker.write_text(str(count))
    if count <= params.failures:
        raise RuntimeError(f"planned failure {count}")
    return {"attempts": count}


@registry.job("refuse")
async def refuse(ctx: JobContext, params: dict[str, object]) -> None:
    """Fails permanently at once."""
    raise PermanentJobFailure("repository not found")


class BurnParams(BaseModel):
    seconds: float = Field(default=1.0, ge=0, le=60)


@registry.job("burn")
def burn(ctx: SyncContext, params: BurnParams) -> dict[str, int]:
    """Plain (sync) CPU-bound code in a thread, reporting progress and honouring cancellation."""
    deadline = time.monotonic() + params.seconds
    loops = 0
    while time.monotonic() < deadline:
        sum(range(10_000))
        loops += 1
        if loops % 50 == 0:
            ctx.progress(min(99, 100 * (1 - (deadline - time.monotonic()) / params.seconds)))
    return {"loops": loops}


class PipelineParams(BaseModel):
    marker: str
    fail_in: str | None = None
    step_seconds: float = 0.05


def _record(params: PipelineParams, step: str) -> None:
    with open(params.marker, "a") as out:
        out.write(step + "\n")


async def fetch(ctx: StepContext, inputs: StepInputs) -> dict[str, object]:
    params: PipelineParams = inputs.params
    _record(params, "fetch")
    await asyncio.sleep(params.step_seconds)
    await ctx.progress(50, "Half fetched")
    return {"files": 3}


def discover(ctx: SyncContext, inputs: StepInputs) -> list[str]:
    params: PipelineParams = inputs.params
    _record(params, "discover")
    marker = Path(params.marker)
    if params.fail_in == "discover" and marker.read_text().count("discover") == 1:
        raise RuntimeError("discovery crashed once")
    time.sleep(params.step_seconds)
    ctx.progress(50)
    return [f"route{i}" for i in range(int(inputs.outputs["fetch"]["files"]))]


async def report(ctx: StepContext, inputs: StepInputs) -> dict[str, object]:
    _record(inputs.params, "report")
    return {"routes": inputs.outputs["discover"]}


registry.register(
    "pipeline",
    Pipeline(
        [
            Step("fetch", fetch, weight=1, message="Fetching..."),
            Step("discover", discover, weight=2, message="Discovering APIs..."),
            Step("report", report, weight=1, message="Writing report..."),
        ],
        params=PipelineParams,
    ),
    retry=RetryPolicy(max_attempts=2, base_delay=0.05),
)


def count_primes(limit: int) -> int:
    """CPU-bound and picklable: runs in a worker process."""
    return sum(1 for n in range(2, limit) if all(n % d for d in range(2, int(n**0.5) + 1)))


class CrunchParams(BaseModel):
    limit: int = Field(default=20_000, ge=2, le=10_000_000)


@registry.job("crunch")
async def crunch(ctx: JobContext, params: CrunchParams) -> dict[str, int]:
    """Moves CPU-heavy work to a process, off the event loop and the GIL."""
    await ctx.progress(10, "Counting primes")
    return {"primes": await ctx.run_in_process(count_primes, params.limit)}


@registry.job("slow", retry=RetryPolicy(max_attempts=2, base_delay=0.05), timeout=0.3)
async def slow(ctx: JobContext, params: dict[str, object]) -> None:
    """Always runs past its 0.3 s timeout."""
    await asyncio.sleep(5)


class RecordParams(BaseModel):
    path: str
    seconds: float = 0.0


@registry.job("record")
async def record(ctx: JobContext, params: RecordParams) -> dict[str, str]:
    """Appends its id to a file once per execution, so tests can count executions."""
    await asyncio.sleep(params.seconds)
    with open(params.path, "a") as out:  # O_APPEND: whole lines, even from many processes
        out.write(ctx.job_id + "\n")
    return {"recorded": ctx.job_id}


@registry.job("exclusive", concurrency=1)
async def exclusive(ctx: JobContext, params: SleepParams) -> dict[str, float]:
    """At most one at a time per executor, whatever the executor's own concurrency."""
    await asyncio.sleep(params.seconds)
    return {"slept": params.seconds}
