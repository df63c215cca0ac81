"""Service commands: serve, worker, jobs, db."""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from apiscope.cli.terminal import StoreOption, fail, load_settings, run
from apiscope.errors import ApiscopeError
from apiscope.jobs import JobEngine, JobStatus
from apiscope.jobs.model import Job
from apiscope.jobs.schemas import JobStatusOut
from apiscope.settings import Settings

jobs_app = typer.Typer(
    help="Inspect and cancel jobs in the configured store.", no_args_is_help=True
)
db_app = typer.Typer(help="Manage the job store's schema.", no_args_is_help=True)
console = Console()


def _engine(settings: Settings, *, execute: bool = False) -> JobEngine:
    from apiscope.app import build_engine

    return build_engine(settings, execute=execute)


def _configure_logging() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    execute: Annotated[
        bool, typer.Option("--execute/--no-execute", help="Run jobs in this process.")
    ] = True,
    store: StoreOption = None,
) -> None:
    """Serve the HTTP API and web UI; runs jobs in-process unless --no-execute."""
    import uvicorn

    from apiscope.app import create_app

    settings = load_settings(store)

    async def check_store() -> None:
        async with _engine(settings).running():
            pass

    run(check_store)
    _configure_logging()
    try:
        application = create_app(settings, execute=execute)
    except ApiscopeError as exc:
        fail(str(exc))
    uvicorn.run(application, host=host, port=port, log_level="info", access_log=False)


def worker(
    concurrency: Annotated[
        int | None, typer.Option(min=1, max=256, help="Jobs run at once.")
    ] = None,
    store: StoreOption = None,
) -> None:
    """Claim and run jobs from the configured store until SIGTERM or Ctrl-C."""
    settings = load_settings(store, concurrency=concurrency)
    _configure_logging()

    async def work() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        async with _engine(settings, execute=True).running():
            logging.getLogger("apiscope").info(
                "worker running %d job(s) at once from %s", settings.concurrency, settings.store
            )
            await stop.wait()

    run(work)


@db_app.command("upgrade")
def db_upgrade(store: StoreOption = None) -> None:
    """Apply the store's pending schema migrations."""
    settings = load_settings(store)

    async def upgrade() -> None:
        store = _engine(settings).store
        await store.upgrade()
        await store.close()

    run(upgrade)
    typer.echo(f"store schema is up to date: {settings.store}")


def _emit_json(value: object) -> None:
    sys.stdout.write(json.dumps(value, indent=2, default=str) + "\n")


def _show(job: Job) -> dict[str, object]:
    return JobStatusOut.of(job).model_dump(mode="json")


@jobs_app.command("list")
def jobs_list(
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    status: Annotated[JobStatus | None, typer.Option(help="Only jobs in this state.")] = None,
    kind: Annotated[str | None, typer.Option(help="Only jobs of this kind.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    store: StoreOption = None,
) -> None:
    """List jobs, newest first."""
    settings = load_settings(store)

    async def fetch() -> list[Job]:
        async with _engine(settings).running() as engine:
            page = await engine.list(owner=None, limit=limit, status=status, kind=kind)
            return list(page.jobs)

    jobs = run(fetch)
    if as_json:
        _emit_json([_show(j) for j in jobs])
        return
    table = Table("id", "kind", "status", "progress", "message", "created")
    for job in jobs:
        created = job.created_at.strftime("%Y-%m-%d %H:%M:%S")
        table.add_row(job.id, job.kind, job.status.value, f"{job.progress}%", job.message, created)
    console.print(table)


@jobs_app.command("show")
def jobs_show(job_id: str, store: StoreOption = None) -> None:
    """Print one job as JSON."""
    settings = load_settings(store)

    async def fetch() -> Job:
        async with _engine(settings).running() as engine:
            return await engine.get(job_id)

    _emit_json(_show(run(fetch)))


@jobs_app.command("cancel")
def jobs_cancel(job_id: str, store: StoreOption = None) -> None:
    """Cancel a pending or running job."""
    settings = load_settings(store)

    async def cancel() -> Job:
        async with _engine(settings).running() as engine:
            return await engine.cancel(job_id)

    job = run(cancel)
    typer.echo(f"cancelled {job.id}")


def register(app: typer.Typer) -> None:
    """Add the service commands to the `apiscope` command."""
    app.command()(serve)
    app.command()(worker)
    app.add_typer(jobs_app, name="jobs")
    app.add_typer(db_app, name="db")
