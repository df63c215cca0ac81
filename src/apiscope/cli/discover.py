"""`apiscope discover REPO [--branch B] [--json]`: the routes a repository declares.

stdout carries only the result (the JSON array, or the table); notes about skipped files and
failed discoverers go to stderr, so `--json` output can be piped as is.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from apiscope.analysis.discovery import Discovery, discover
from apiscope.analysis.sources import CheckedOut, SourceOptions, open_source
from apiscope.cli.terminal import EXIT_FAILED, fail, load_settings
from apiscope.errors import ApiscopeError, SourceUnavailable

notes = Console(stderr=True, highlight=False)


def discover_command(
    repo: Annotated[str, typer.Argument(help="A local path, a git URL, or owner/name on GitHub.")],
    branch: Annotated[
        str | None,
        typer.Option("--branch", "-b", help="Branch or tag (default: the default branch)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array of routes.")] = False,
    workers: Annotated[
        int | None,
        typer.Option(min=1, max=64, help="Processes to discover with (default: by size)."),
    ] = None,
) -> None:
    """Print the HTTP routes a repository declares, found by parsing its source."""
    options = SourceOptions.for_cli(load_settings())
    checked = _checked_out(repo, branch, options)
    with notes.status(f"Discovering routes in {checked.repo}..."):
        found = discover(checked.root, workers=workers)
    if as_json:
        sys.stdout.write(json.dumps([r.to_json() for r in found.routes], indent=2) + "\n")
    else:
        Console(highlight=False).print(_table(checked, found))
    _print_notes(found)


def _checked_out(repo: str, branch: str | None, options: SourceOptions) -> CheckedOut:
    """The repository's files; a transient failure exits 1, bad input exits 2."""
    try:
        with notes.status(f"Fetching {repo}..."):
            return asyncio.run(open_source(repo, branch, options))
    except SourceUnavailable as exc:
        fail(str(exc), EXIT_FAILED)
    except ApiscopeError as exc:
        fail(str(exc))


def _table(checked: CheckedOut, found: Discovery) -> Table:
    where = checked.repo + (f" @ {checked.branch}" if checked.branch else "")
    if checked.commit:
        where += f" ({checked.commit[:12]})"
    table = Table("method", "path", "handler", "file", "framework", title=where)
    for route in found.routes:
        table.add_row(
            route.method,
            Text(route.path),
            Text(route.handler),
            Text(f"{route.file}:{route.line}"),
            route.framework,
        )
    count, files = len(found.routes), found.stats.get("files_scanned", 0)
    table.caption = f"{count} route{'s' * (count != 1)} in {files} source files"
    return table


def _print_notes(found: Discovery) -> None:
    skipped = found.stats.get("files_skipped")
    if isinstance(skipped, dict) and skipped:
        reasons = ", ".join(f"{count} {reason}" for reason, count in skipped.items())
        notes.print(f"note: files skipped: {reasons}")
    errors = found.stats.get("errors")
    if isinstance(errors, dict):
        for name, error in errors.items():
            notes.print(Text(f"warning: the {name} discoverer failed and was skipped: {error}"))


def register(app: typer.Typer) -> None:
    """Add `discover` to the `apiscope` command."""
    app.command("discover")(discover_command)
