"""Job kinds the AWS tests run in their Lambda handlers (`APISCOPE_JOB_KINDS=tests.aws.kinds`)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from pydantic import BaseModel

from apiscope.errors import PermanentJobFailure
from apiscope.jobs import (
    JobContext,
    JobRegistry,
    Pipeline,
    RetryPolicy,
    Step,
    StepContext,
    StepInputs,
)

registry = JobRegistry()


@registry.job("echo")
async def echo(ctx: JobContext, params: dict[str, object]) -> dict[str, object]:
    """Returns its parameters."""
    await ctx.progress(50, "Echoing")
    return params


class BigParams(BaseModel):
    megabytes: float = 1.0


@registry.job("big")
async def big(ctx: JobContext, params: BigParams) -> dict[str, str]:
    """A result far over DynamoDB's 400 KB item limit."""
    return {"blob": "x" * int(params.megabytes * 1024 * 1024)}


class HangParams(BaseModel):
    seconds: float = 30.0


@registry.job("hang", retry=RetryPolicy(max_attempts=5))
async def hang(ctx: JobContext, params: HangParams) -> None:
    """Runs past any invocation's time: a poisoned message."""
    await ctx.progress(10, "Hanging")
    await asyncio.sleep(params.seconds)


class FlakyParams(BaseModel):
    marker: str
    failures: int = 1


@registry.job("flaky", retry=RetryPolicy(max_attempts=3, base_delay=0.05, max_delay=0.1))
async def flaky(ctx: JobContext, params: FlakyParams) -> dict[str, int]:
    """Fails its first `failures` attempts (counted in a file)."""
    marker = Path(params.marker)
    count = int(marker.read_text()) + 1 if marker.exists() else 1
    marker.write_text(str(count))
    if count <= params.failures:
        raise RuntimeError(f"planned failure {count}")
    return {"attempts": count}


class StepsParams(BaseModel):
    marker: str
    fail_in: str | None = None
    """A step that fails on its first run."""
    refuse: bool = False


def _ran(params: StepsParams, step: str) -> int:
    """Record a run of `step`; how many times it has run."""
    marker = Path(params.marker)
    with marker.open("a") as out:
        out.write(step + "\n")
    return marker.read_text().splitlines().count(step)


async def fetch(ctx: StepContext, inputs: StepInputs) -> dict[str, int]:
    params: StepsParams = inputs.params
    _ran(params, "fetch")
    await ctx.progress(50, "Half fetched")
    return {"files": 3}


async def analyse(ctx: StepContext, inputs: StepInputs) -> list[str]:
    params: StepsParams = inputs.params
    if params.refuse:
        raise PermanentJobFailure("repository not found")
    if _ran(params, "analyse") == 1 and params.fail_in == "analyse":
        raise RuntimeError("analysis crashed once")
    return [f"route{i}" for i in range(int(inputs.outputs["fetch"]["files"]))]


async def report(ctx: StepContext, inputs: StepInputs) -> dict[str, object]:
    _ran(inputs.params, "report")
    return {"routes": inputs.outputs["analyse"]}


registry.register(
    "steps",
    Pipeline(
        [Step("fetch", fetch), Step("analyse", analyse, weight=2), Step("report", report)],
        params=StepsParams,
    ),
    retry=RetryPolicy(max_attempts=2, base_delay=1, max_delay=10),
)
