"""What a Lambda execution environment keeps between invocations, built once at cold start: one
event loop (handlers are synchronous; each invocation runs its work to the end on this loop, so
nothing is left running when the handler returns), the app with its started engine, and the
dispatcher the settings choose."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Mapping
from typing import Any, Protocol, TypeVar, cast

from mangum import Mangum

from apiscope.app import create_app
from apiscope.aws.dispatchers import build_dispatcher
from apiscope.aws.settings import LambdaSettings
from apiscope.jobs.dispatch import Dispatcher
from apiscope.jobs.engine import JobEngine

T = TypeVar("T")


class LambdaContext(Protocol):
    """The part of Lambda's context object we use."""

    def get_remaining_time_in_millis(self) -> int: ...


class LambdaRuntime:
    """The app, its engine and an event loop, for every handler of one environment."""

    def __init__(self, settings: LambdaSettings, *, dispatcher: Dispatcher | None = None) -> None:
        self.settings = settings
        self.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self.loop)
        self.app = create_app(settings, execute=False)
        self.engine: JobEngine = self.app.state.engine
        self.engine.dispatcher = dispatcher or build_dispatcher(settings)
        self.run(self.engine.start())
        self._http = Mangum(self.app, lifespan="off")  # the engine is started above, once

    def respond(self, event: Mapping[str, Any], context: LambdaContext) -> dict[str, Any]:
        """Answer an HTTP event (API Gateway v1 or v2, Function URL) through the app."""
        asyncio.set_event_loop(self.loop)
        return self._http(dict(event), cast(Any, context))

    def run(self, work: Coroutine[Any, Any, T]) -> T:
        """Run a coroutine to its end on this environment's loop."""
        asyncio.set_event_loop(self.loop)  # Mangum looks the loop up, too
        return self.loop.run_until_complete(work)

    def seconds_left(self, context: LambdaContext) -> float:
        """The invocation's remaining time, less the reserve for recording outcomes."""
        left = context.get_remaining_time_in_millis() / 1000
        return max(1.0, left - self.settings.lambda_reserve_seconds)

    def close(self) -> None:
        """Stop the engine and the loop (tests; Lambda just freezes the environment)."""
        self.run(self.engine.stop())
        self.loop.close()
        asyncio.set_event_loop(None)
