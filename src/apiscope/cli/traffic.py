"""`apiscope worst LOGFILE` (rank endpoints from traffic) and `apiscope match REPO --requests FILE`.

stdout carries only the result (JSON or a table); what was skipped in a log goes to stderr, so
`apiscope worst access.log --json > worst.json` gives a file `apiscope analyze --worst` reads.
"""

from __future__ import annotations

import asyncio
import enum
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from apiscope.analysis.discovery import discover
from apiscope.analysis.matching import Match, MatchResult, build_matcher, route_json
from apiscope.analysis.routes import Route
from apiscope.analysis.sources import SourceOptions, open_source
from apiscope.analysis.traffic import (
    Kind,
    TrafficOptions,
    WorstApi,
    rank,
    ranked_json,
    read_traffic,
)
from apiscope.analysis.traffic.ranking import impact_ms
from apiscope.cli.terminal import EXIT_FAILED, fail, load_settings
from apiscope.errors import ApiscopeError, SourceUnavailable

notes = Console(stderr=True, highlight=False)


class FormatChoice(enum.StrEnum):
    """The `--format` values of `apiscope worst`."""

    AUTO = "auto"
    NGINX = "nginx"
    ALB = "alb"
    APIGW = "apigw"
    CSV = "csv"
    JSON = "json"


class TimeUnit(enum.StrEnum):
    """The `--time-unit` values."""

    AUTO = "auto"
    S = "s"
    MS = "ms"
    US = "us"


RepoOption = Annotated[
    str | None,
    typer.Option("--repo", help="Group by this repository's routes (path, git URL, owner/name)."),
]
BranchOption = Annotated[
    str | None, typer.Option("--branch", "-b", help="Branch or tag of the repository.")
]
BasePathOption = Annotated[
    list[str] | None,
    typer.Option(
        "--base-path", help="A prefix the URLs carry and the routes do not (/prod); repeatable."
    ),
]


def worst_command(
    logfile: Annotated[Path, typer.Argument(help="Access log (gzip or not) or metrics export.")],
    log_format: Annotated[
        FormatChoice, typer.Option("--format", help="Input format.")
    ] = FormatChoice.AUTO,
    top: Annotated[int | None, typer.Option(min=1, help="Only the N worst endpoints.")] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print a JSON array of worst APIs.")
    ] = False,
    repo: RepoOption = None,
    branch: BranchOption = None,
    base_path: BasePathOption = None,
    field: Annotated[
        list[str] | None,
        typer.Option(
            "--field",
            help="JSON/CSV field for a role: method=verb, path=uri, status=code, duration=took.",
        ),
    ] = None,
    time_unit: Annotated[
        TimeUnit, typer.Option(help="Unit of the request-time field.")
    ] = TimeUnit.AUTO,
    workers: Annotated[
        int | None, typer.Option(min=1, max=64, help="Parser processes (default: by size).")
    ] = None,
) -> None:
    """Rank the endpoints of an access log or metrics export by impact (requests x p95, errors)."""
    options = TrafficOptions(
        format=Kind(log_format.value),
        routes=_routes(repo, branch) if repo else None,
        base_paths=tuple(base_path or ()),
        fields=_fields(field or []),
        time_unit=time_unit.value,
        workers=workers,
    )
    try:
        report = read_traffic(logfile, options)
    except ApiscopeError as exc:
        fail(str(exc))
    ranked = rank(report.apis, top)
    if as_json:
        _emit(ranked_json(ranked))
    else:
        Console(highlight=False).print(_worst_table(ranked))
    typer.echo(report.summary(), err=True)
    if report.overflow:
        typer.echo(
            f"note: {report.overflow:,} requests beyond the endpoint limit counted as /(other)",
            err=True,
        )


def match_command(
    repo: Annotated[str, typer.Argument(help="A local path, a git URL, or owner/name on GitHub.")],
    requests: Annotated[Path, typer.Option("--requests", help='JSON array of {"method", "url"}.')],
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
    branch: BranchOption = None,
    base_path: BasePathOption = None,
) -> None:
    """Match observed requests to the routes a repository declares."""
    wanted = _read_requests(requests)
    matcher = build_matcher(_routes(repo, branch), [url for _, url in wanted], base_path or None)
    results = [_matched(method, url, matcher.lookup(method, url)) for method, url in wanted]
    if as_json:
        _emit(results)
    else:
        Console(highlight=False).print(_match_table(results))


def _matched(method: str | None, url: str, found: MatchResult) -> dict[str, Any]:
    """The contract's object for one request: the route only for a FULL match."""
    full = found.match is Match.FULL and found.route is not None
    route = route_json(found.route, handler=False) if full and found.route else None
    return {"method": method, "url": url, "route": route}


def _routes(repo: str, branch: str | None) -> tuple[Route, ...]:
    """The routes of a repository: fetched unless local, then discovered."""
    options = SourceOptions.for_cli(load_settings())
    try:
        with notes.status(f"Fetching {repo}..."):
            checked = asyncio.run(open_source(repo, branch, options))
        with notes.status(f"Discovering routes in {checked.repo}..."):
            return discover(checked.root).routes
    except SourceUnavailable as exc:
        fail(str(exc), EXIT_FAILED)
    except ApiscopeError as exc:
        fail(str(exc))


def _fields(pairs: list[str]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for pair in pairs:
        role, sep, name = pair.partition("=")
        if not sep or role not in ("method", "path", "status", "duration") or not name:
            fail(
                f"--field {pair!r}: expected ROLE=NAME, ROLE one of method, path, status, duration"
            )
        fields[role] = name
    return fields


def _read_requests(path: Path) -> list[tuple[str | None, str]]:
    """(method, url) pairs from a JSON array; a bad entry is named by its index."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        fail(f"{path}: cannot read: {exc.strerror or exc}")
    except ValueError as exc:
        fail(f"{path}: not valid JSON: {exc}")
    if not isinstance(data, list):
        fail(f'{path}: expected a JSON array of {{"method", "url"}} objects')
    return [_request(item, f"{path}[{index}]") for index, item in enumerate(data)]


def _request(item: object, where: str) -> tuple[str | None, str]:
    if not isinstance(item, dict):
        fail(f'{where}: expected an object with "method" and "url"')
    url, method = item.get("url"), item.get("method")
    if not isinstance(url, str) or not url.strip():
        fail(f'{where}: "url" must be a non-empty string')
    if method is not None and not isinstance(method, str):
        fail(f'{where}: "method" must be a string')
    return method, url


def _emit(value: Any) -> None:
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")


def _worst_table(apis: list[WorstApi]) -> Table:
    table = Table("#", "method")
    table.add_column("path", overflow="fold")
    for name in ("requests", "5xx", "p95 ms", "p99 ms", "impact s"):
        table.add_column(name, justify="right")
    for index, api in enumerate(apis, 1):
        table.add_row(
            str(index),
            api.method,
            Text(api.path),
            _number(api.requests),
            f"{api.error_rate:.2%}" if api.error_rate is not None else "",
            _number(api.p95_ms),
            _number(api.p99_ms),
            f"{impact_ms(api) / 1000:,.1f}",
        )
    return table


def _match_table(results: list[dict[str, Any]]) -> Table:
    table = Table("method")
    for name in ("url", "route", "where"):
        table.add_column(name, overflow="fold")
    for result in results:
        route = result["route"]
        table.add_row(
            result["method"] or "",
            Text(result["url"]),
            Text(f"{route['method']} {route['path']}") if route else Text("no match", style="dim"),
            Text(f"{route['file']}:{route['line']}") if route else "",
        )
    return table


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:,.0f}" if value >= 10 else f"{value:.3g}"


def register(app: typer.Typer) -> None:
    """Add `worst` and `match` to the `apiscope` command."""
    app.command("worst")(worst_command)
    app.command("match")(match_command)
