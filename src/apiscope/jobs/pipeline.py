"""Pipelines: named, weighted steps run in order, each checkpointed when it finishes.

Overall progress derives from the steps' weights, so a step reports only its own 0-100 %. A
retry skips the steps whose outputs were checkpointed by an earlier attempt, so step outputs are
JSON values (what the checkpoint stores), and a step must accept its inputs in that form.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from apiscope.errors import ConfigurationError
from apiscope.jobs.context import ContextView, JobContext, call_job_code
from apiscope.jobs.model import JsonValue, StepState, StepStatus


@dataclass(frozen=True, slots=True)
class StepInputs:
    """What a step works from: the job's parameters and the outputs of the steps before it."""

    params: Any
    outputs: Mapping[str, JsonValue]


@dataclass(frozen=True, slots=True)
class Step:
    """One step: `run(ctx, inputs)`, async or plain (plain code runs in a thread)."""

    name: str
    run: Callable[..., Any]
    weight: float = 1.0
    message: str | None = None
    """Shown as the job's message while the step runs, e.g. "Discovering APIs..."."""


class Pipeline:
    """A job handler made of steps; register it with `JobRegistry.register`."""

    def __init__(
        self,
        steps: Sequence[Step],
        *,
        params: type[BaseModel] | None = None,
        result: Callable[[Mapping[str, JsonValue]], Any] | None = None,
    ) -> None:
        names = [s.name for s in steps]
        if not steps or len(set(names)) != len(names):
            raise ConfigurationError("a pipeline needs at least one step and unique step names")
        if any(s.weight <= 0 for s in steps):
            raise ConfigurationError("step weights must be positive")
        self.steps = tuple(steps)
        self.params_model = params
        self._result = result
        self._total = sum(s.weight for s in steps)

    def overall(self, index: int, step_percent: float) -> int:
        """Overall progress with steps before `index` done and step `index` at `step_percent`."""
        done = sum(s.weight for s in self.steps[:index])
        return int(100 * (done + self.steps[index].weight * step_percent / 100) / self._total)

    async def __call__(self, ctx: JobContext, params: Any) -> Any:
        outputs = dict(ctx.checkpoints)
        for index, step in enumerate(self.steps):
            if step.name in outputs:
                continue
            step_ctx = StepContext(ctx, self, index)
            await step_ctx.begin()
            output = await call_job_code(step.run, step_ctx, StepInputs(params, outputs))
            outputs[step.name] = await step_ctx.finish(output)
        if self._result is not None:
            return self._result(outputs)
        return outputs[self.steps[-1].name]


def _with_step(steps: tuple[StepState, ...], state: StepState) -> tuple[StepState, ...]:
    return tuple(state if s.name == state.name else s for s in steps)


class StepContext(ContextView):
    """A step's view of the job: its progress is scaled into the pipeline's overall progress."""

    def __init__(self, job: JobContext, pipeline: Pipeline, index: int) -> None:
        super().__init__(job)
        self.job = job
        self._pipeline = pipeline
        self._index = index
        self._step = pipeline.steps[index]

    def _state(self, status: StepStatus, percent: int) -> tuple[StepState, ...]:
        return _with_step(self.job.steps, StepState(self._step.name, status, percent))

    async def begin(self) -> None:
        """Mark the step running."""
        await self.job.update_steps(
            self._state(StepStatus.PROCESSING, 0),
            self._pipeline.overall(self._index, 0),
            self._step.message or f"Running {self._step.name}",
            force=True,
        )

    async def progress(
        self,
        percent: float,
        message: str | None = None,
        *,
        partial: dict[str, JsonValue] | None = None,
    ) -> None:
        """Report the step's own progress (0-100), optionally a message and partial results."""
        percent = max(0, min(100, int(percent)))
        await self.job.update_steps(
            self._state(StepStatus.PROCESSING, percent),
            self._pipeline.overall(self._index, percent),
            message,
            partial=partial,
        )

    async def finish(self, output: Any) -> JsonValue:
        """Checkpoint the step's output and mark it completed."""
        return await self.job.checkpoint(
            self._step.name,
            output,
            self._state(StepStatus.COMPLETED, 100),
            self._pipeline.overall(self._index, 100),
        )


__all__ = ["Pipeline", "Step", "StepContext", "StepInputs"]
