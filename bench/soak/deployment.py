"""The processes a soak runs against, started as a user starts them: `apiscope serve` on a SQLite
file (the default shape), or `apiscope serve --no-execute` beside `apiscope worker` processes on
a fresh PostgreSQL schema (the distributed shape)."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

from bench.faults.processes import Service, base_env, run_cli, server, worker
from bench.faults.scenarios import drop_schema

HOST = "127.0.0.1"


@dataclass
class Deployment:
    """Where the API listens, every process by name, and the store's files (SQLite only)."""

    services: dict[str, Service]
    store_files: list[Path] = field(default_factory=list)

    @property
    def port(self) -> int:
        """Where the API process listens."""
        args = self.services["serve"].args
        return int(args[args.index("--port") + 1])

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
    return base_env(store, APISCOPE_API_KEYS=",".join(keys), APISCOPE_CONCURRENCY=str(concurrency))


@contextlib.asynccontextmanager
async def sqlite(
    folder: Path, keys: tuple[str, ...], concurrency: int
) -> AsyncIterator[Deployment]:
    """One `apiscope serve` running jobs in-process on a SQLite file in `folder`."""
    database = folder / "soak.db"
    store = f"sqlite:///{database}"
    serve = server(store, folder, env=environment(store, keys, concurrency))
    files = [Path(f"{database}{suffix}") for suffix in ("", "-wal", "-shm")]
    deployment = Deployment({"serve": serve}, files)
    async with _running(deployment):
        yield deployment


@contextlib.asynccontextmanager
async def postgres(
    folder: Path, keys: tuple[str, ...], concurrency: int, database_url: str, workers: int
) -> AsyncIterator[Deployment]:
    """`apiscope serve --no-execute` and `workers` `apiscope worker`s on a fresh schema."""
    schema = f"soak_{uuid.uuid4().hex[:10]}"
    separator = "&" if "?" in database_url else "?"
    store = f"{database_url}{separator}schema={schema}"
    env = environment(store, keys, concurrency)
    run_cli("db", "upgrade", env=env)
    services = [server(store, folder, env=env, execute=False)]
    services += [worker(store, folder, index, env=env) for index in range(workers)]
    deployment = Deployment({service.name: service for service in services})
    try:
        async with _running(deployment):
            yield deployment
    finally:
        drop_schema(database_url, schema)


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
