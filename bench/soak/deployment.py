"""The processes a soak runs against, started as a user starts them: `apiscope serve` on a SQLite
file (the default shape), or `apiscope serve --no-execute` beside `apiscope worker` processes on
a fresh PostgreSQL schema (the distributed shape)."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

from bench.faults.processes import ROOT, Service, free_port, run_cli
from bench.faults.scenarios import drop_schema

HOST = "127.0.0.1"


@dataclass
class Deployment:
    """Where the API listens, every process by name, and the store's files (SQLite only)."""

    port: int
    services: dict[str, Service]
    store_files: list[Path] = field(default_factory=list)

    def pids(self) -> dict[str, int]:
        """The running processes' ids by name."""
        return {name: s.process.pid for name, s in self.services.items() if s.process}

    def crashes(self) -> int:
        """Exits nobody asked for, over all processes."""
        for service in self.services.values():
            service.check()
        return sum(service.exits for service in self.services.values())


def environment(store: str, keys: tuple[str, ...], concurrency: int) -> dict[str, str]:
    """What every process gets: the store, API keys and the bench job kinds. The jobs mostly
    wait, so more run at once than the default 4, as a user would set it for such work."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("APISCOPE_")}
    env.update(
        PYTHONPATH=str(ROOT),
        APISCOPE_STORE=store,
        APISCOPE_JOB_KINDS="bench.jobkinds:registry",
        APISCOPE_API_KEYS=",".join(keys),
        APISCOPE_CONCURRENCY=str(concurrency),
    )
    return env


@contextlib.asynccontextmanager
async def sqlite(
    folder: Path, keys: tuple[str, ...], concurrency: int
) -> AsyncIterator[Deployment]:
    """One `apiscope serve` running jobs in-process on a SQLite file in `folder`."""
    database = folder / "soak.db"
    env = environment(f"sqlite:///{database}", keys, concurrency)
    deployment = Deployment(free_port(), {}, [Path(f"{database}{s}") for s in ("", "-wal", "-shm")])
    deployment.services["serve"] = _server(deployment.port, env, folder, execute=True)
    async with _running(deployment):
        yield deployment


@contextlib.asynccontextmanager
async def postgres(
    folder: Path, keys: tuple[str, ...], concurrency: int, database_url: str, workers: int
) -> AsyncIterator[Deployment]:
    """`apiscope serve --no-execute` and `workers` `apiscope worker`s on a fresh schema."""
    schema = f"soak_{uuid.uuid4().hex[:10]}"
    separator = "&" if "?" in database_url else "?"
    env = environment(f"{database_url}{separator}schema={schema}", keys, concurrency)
    run_cli("db", "upgrade", env=env)
    deployment = Deployment(free_port(), {})
    deployment.services["serve"] = _server(deployment.port, env, folder, execute=False)
    for index in range(workers):
        worker = Service(f"worker{index}", ["worker"], env, folder)
        worker.ready_line = "worker running"
        deployment.services[worker.name] = worker
    try:
        async with _running(deployment):
            yield deployment
    finally:
        drop_schema(database_url, schema)


def _server(port: int, env: dict[str, str], folder: Path, *, execute: bool) -> Service:
    args = ["serve", "--host", HOST, "--port", str(port)] + ([] if execute else ["--no-execute"])
    service = Service("serve", args, env, folder)
    service.health_url = f"http://{HOST}:{port}/healthz"
    return service


@contextlib.asynccontextmanager
async def _running(deployment: Deployment) -> AsyncIterator[None]:
    """Start every process, and always stop them all (gracefully, then by force)."""
    try:
        for service in deployment.services.values():
            await service.start()
        yield
    finally:
        for service in deployment.services.values():
            service.stop()
