"""The settings of a Lambda function: the service's own plus how jobs get to their executors."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import AliasChoices, Field, model_validator

from apiscope.settings import Settings

Dispatch = Literal["lambda", "sqs", "stepfunctions", "none"]


class LambdaSettings(Settings):
    """`APISCOPE_*` environment variables, read once per cold start."""

    dispatch: Dispatch = "lambda"
    """How a submitted job reaches an executor: `lambda` (an asynchronous invocation of the
    worker function, by default this one), `sqs`, `stepfunctions`, or `none` for a function that
    only runs jobs handed to it (the state machine's step function)."""
    sqs_queue_url: str | None = None
    state_machine_arn: str | None = None
    worker_function: str | None = Field(
        default=None,
        validation_alias=AliasChoices("APISCOPE_WORKER_FUNCTION", "AWS_LAMBDA_FUNCTION_NAME"),
    )
    """The function `lambda` dispatch invokes; by default the running one (single-function)."""
    lambda_reserve_seconds: float = Field(default=10.0, ge=0)
    """Time kept back from an invocation's limit to record how its jobs ended."""
    redispatch_after_seconds: float = Field(default=120.0, gt=0)
    """A pending job due this long without being taken is sent again by the maintenance run,
    and again each time its wait doubles."""
    maintenance_every_seconds: float = Field(default=60.0, gt=0)
    """How often the schedule runs maintenance (the template's `rate(1 minute)`), so that each
    re-send point is caught by one run, not by every run after it."""

    @model_validator(mode="after")
    def _target_is_named(self) -> Self:
        if self.dispatch == "none":
            return self
        needed = {
            "lambda": ("APISCOPE_WORKER_FUNCTION", self.worker_function),
            "sqs": ("APISCOPE_SQS_QUEUE_URL", self.sqs_queue_url),
            "stepfunctions": ("APISCOPE_STATE_MACHINE_ARN", self.state_machine_arn),
        }
        variable, value = needed[self.dispatch]
        if not value:
            raise ValueError(f"APISCOPE_DISPATCH={self.dispatch} needs {variable}")
        return self
