"""Job kinds: a name, the code that runs it, how its parameters are validated, how it retries.

A `JobRegistry` is an ordinary object, never a module-level global: an application builds one,
registers kinds with the `job` decorator (or `register` for a `Pipeline`), and hands it to the
engine. Registries merge with `include`, which is how `APISCOPE_JOB_KINDS` plugs in other kinds.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar, get_type_hints

from pydantic import BaseModel

from apiscope.errors import ConfigurationError, UnknownJobKind
from apiscope.jobs.model import JsonValue, StepState
from apiscope.jobs.pipeline import Pipeline
from apiscope.jobs.retry import RetryPolicy

Handler = Callable[..., Any]
"""`async def f(ctx, params)` or a plain `def f(ctx, params)`; a plain one runs in a thread."""

F = TypeVar("F", bound=Handler)


@dataclass(frozen=True, slots=True)
class JobKind:
    """One registered kind of job."""

    name: str
    handler: Handler | Pipeline
    params_model: type[BaseModel] | None = None
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    timeout: float | None = None
    """Seconds one attempt may run; past it the attempt fails (and may be retried)."""
    concurrency: int | None = None
    """At most this many jobs of the kind run at once in one executor (None: no own limit)."""

    def validate(self, params: JsonValue) -> JsonValue:
        """Check parameters at submission; `pydantic.ValidationError` names the bad field."""
        if self.params_model is None:
            return params
        return self.params_model.model_validate(params).model_dump(mode="json")

    def parse(self, params: JsonValue) -> Any:
        """Parameters as the handler takes them (a model instance where one is declared)."""
        if self.params_model is None:
            return params
        return self.params_model.model_validate(params)

    def initial_steps(self) -> tuple[StepState, ...]:
        """The step list a new job of this kind starts with."""
        if isinstance(self.handler, Pipeline):
            return tuple(StepState(step.name) for step in self.handler.steps)
        return ()


def _params_model(handler: Handler) -> type[BaseModel] | None:
    """The Pydantic model annotated on the handler's second parameter, if any."""
    parameters = list(inspect.signature(handler).parameters.values())
    if len(parameters) < 2:
        raise ConfigurationError(f"job handler {handler.__name__} must take (ctx, params)")
    hint = get_type_hints(handler).get(parameters[1].name)
    return hint if inspect.isclass(hint) and issubclass(hint, BaseModel) else None


class JobRegistry:
    """The job kinds an application offers."""

    def __init__(self) -> None:
        self._kinds: dict[str, JobKind] = {}

    def job(
        self,
        name: str,
        *,
        retry: RetryPolicy | None = None,
        timeout: float | None = None,
        concurrency: int | None = None,
    ) -> Callable[[F], F]:
        """Decorator: register `async def handler(ctx: JobContext, params: Model)` as `name`."""

        def register(handler: F) -> F:
            model = _params_model(handler)
            policy = retry or RetryPolicy()
            self.add(JobKind(name, handler, model, policy, timeout, concurrency))
            return handler

        return register

    def register(
        self,
        name: str,
        pipeline: Pipeline,
        *,
        retry: RetryPolicy | None = None,
        timeout: float | None = None,
        concurrency: int | None = None,
    ) -> JobKind:
        """Register a pipeline of steps as the kind `name`."""
        policy = retry or RetryPolicy()
        kind = JobKind(name, pipeline, pipeline.params_model, policy, timeout, concurrency)
        self.add(kind)
        return kind

    def add(self, kind: JobKind) -> None:
        """Register a ready-made kind; a name can be taken only once."""
        if kind.name in self._kinds:
            raise ConfigurationError(f"job kind {kind.name!r} is registered twice")
        self._kinds[kind.name] = kind

    def include(self, other: JobRegistry) -> None:
        """Add every kind of another registry."""
        for kind in other:
            self.add(kind)

    def __getitem__(self, name: str) -> JobKind:
        try:
            return self._kinds[name]
        except KeyError:
            raise UnknownJobKind(f"Unknown job kind: {name}") from None

    def get(self, name: str) -> JobKind | None:
        """The kind registered as `name`, or None."""
        return self._kinds.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self._kinds

    def __iter__(self) -> Iterator[JobKind]:
        return iter(self._kinds.values())

    def names(self) -> list[str]:
        """Registered kind names, sorted."""
        return sorted(self._kinds)


__all__ = ["Handler", "JobKind", "JobRegistry"]
