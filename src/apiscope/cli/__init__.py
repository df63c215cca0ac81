"""The `apiscope` command line; each group of commands lives in its own module."""

from __future__ import annotations

import typer

from apiscope.cli import analyze, discover, service, traffic

app = typer.Typer(
    help="Trace your worst API endpoints to code and explain why they are slow.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
service.register(app)
discover.register(app)
traffic.register(app)
analyze.register(app)


def main() -> None:
    """Console-script entry point."""
    app()
