"""`apiscope analyze REPO --worst FILE`: one analysis, followed live in the terminal.

It runs the same job as the HTTP API (the same pipeline, on an in-memory store in this process),
so what a user sees here is what the service does; a trusted caller, it may read local paths.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from apiscope.analysis.demo import DEMO_ROOT, demo_request
from apiscope.analysis.pipeline import KIND, analysis_jobs
from apiscope.analysis.reports import WRITERS
from apiscope.analysis.request import AnalysisRequest
from apiscope.analysis.traffic import read_traffic
from apiscope.cli.terminal import EXIT_FAILED, fail, load_settings, run
from apiscope.errors import ApiscopeError
from apiscope.jobs import JobEngine, JobStatus, open_store
from apiscope.jobs.model import Job

COLORS = {
    "red": "red",
    "orange": "dark_orange",
    "yellow": "yellow",
    "green": "green",
    "grey": "grey50",
}
console = Console(stderr=True)


def _request(
    repo: str | None, branch: str | None, worst: Path | None, demo: bool
) -> AnalysisRequest:
    if demo:
        return demo_request()
    if repo is None or worst is None:
        fail("give REPO and --worst FILE, or --demo")
    try:
        apis = read_traffic(worst).apis
    except ApiscopeError as exc:  # its message names the file and the line
        fail(str(exc))
    except OSError as exc:
        fail(f"{worst}: {exc.strerror or exc}")
    if not apis:
        fail(f"{worst}: no worst APIs in it")
    return AnalysisRequest(worst_apis=list(apis), repo=repo, branch=branch)


async def _follow(request: AnalysisRequest) -> Job:
    """Run the job in this process and draw its progress until it ends."""
    engine = JobEngine(open_store("memory://"), analysis_jobs(load_settings(), trusted=True))
    async with engine.running():
        job, _ = await engine.submit(KIND, request.model_dump(mode="json", exclude_none=True))
        columns = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
                   TimeElapsedColumn())  # fmt: skip
        with Progress(*columns, console=console, transient=True) as bar:
            task = bar.add_task("Queued", total=100)
            async for latest in engine.watch(job.id):
                bar.update(task, completed=latest.progress, description=latest.message)
                job = latest
        return job


def _summary(result: dict[str, Any]) -> Table:
    table = Table("endpoint", "p95 ms", "handler", "why", title="Worst APIs")
    for entry in result["matched_apis"]:
        api, route = entry["worst_api"], entry["route"]
        style = COLORS.get(entry["color"], "")
        handler = f"{route['file']}:{route['line']} {route['handler']}" if route else "-"
        table.add_row(f"[{style}]{api['method']} {api['path']}[/]", str(api.get("p95_ms", "")),
                      handler, entry["reason"])  # fmt: skip
    return table


def analyze(
    repo: Annotated[str | None, typer.Argument(help="Local path, git URL, or owner/name.")] = None,
    branch: Annotated[str | None, typer.Option("--branch", "-b", help="Branch or tag.")] = None,
    worst: Annotated[
        Path | None, typer.Option(help="Worst APIs: JSON, CSV, or an access log.")
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", help="Report format: json, md or sarif.")
    ] = "json",
    output: Annotated[Path | None, typer.Option(help="Write the report here, not stdout.")] = None,
    demo: Annotated[
        bool, typer.Option(help=f"Analyse the bundled example ({DEMO_ROOT.name}).")
    ] = False,
) -> None:
    """Analyse why the worst APIs of a repository are slow, with a live progress bar."""
    if output_format not in WRITERS:
        fail(f"--format must be one of {', '.join(WRITERS)}")
    request = _request(repo, branch, worst, demo)
    job = run(lambda: _follow(request))
    if job.status is not JobStatus.COMPLETED:
        fail(job.error or f"the analysis was {job.status.value}", EXIT_FAILED)
    console.print(_summary(job.result))
    console.print(job.result["ai_analysis"]["summary"])
    report = WRITERS[output_format](job.result)
    if output is None:
        sys.stdout.write(report)
    else:
        output.write_text(report)
        console.print(f"Report written to {output}")


def register(app: typer.Typer) -> None:
    """Add `apiscope analyze`."""
    app.command()(analyze)
