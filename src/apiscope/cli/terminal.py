"""How commands meet the terminal: settings from the environment, one-line errors, exit codes.

Exit codes: 0 success, 1 a job or analysis failed, 2 bad usage or bad input.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Annotated, NoReturn, TypeVar

import typer

from apiscope.errors import ApiscopeError
from apiscope.settings import Settings

T = TypeVar("T")
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2

StoreOption = Annotated[
    str | None, typer.Option("--store", help="Job store URL (default: $APISCOPE_STORE).")
]


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    """One line on stderr, then exit with `code`."""
    typer.echo(f"apiscope: error: {message}", err=True)
    raise typer.Exit(code)


def load_settings(store: str | None = None, **overrides: object) -> Settings:
    """Settings from the environment, with command-line options on top."""
    try:
        settings = Settings()
    except ValueError as exc:
        fail(f"invalid settings: {exc}".splitlines()[0])
    changes = {k: v for k, v in {"store": store, **overrides}.items() if v is not None}
    return settings.model_copy(update=changes)


def run(coro_fn: Callable[[], Awaitable[T]]) -> T:
    """Run async command work; apiscope errors become one line and exit code 2."""

    async def main() -> T:
        return await coro_fn()

    try:
        return asyncio.run(main())
    except ApiscopeError as exc:
        fail(str(exc))
