"""The real app served by uvicorn on loopback, in a thread, with the test job kinds."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from bench.server import free_port

from apiscope.app import create_app
from apiscope.settings import Settings

ServerFactory = Callable[..., httpx.Client]


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[ServerFactory]:
    """Start a server with settings overrides; returns an httpx client bound to it."""
    servers: list[tuple[uvicorn.Server, threading.Thread, httpx.Client]] = []

    def start(**overrides: object) -> httpx.Client:
        settings = Settings(
            store=f"sqlite:///{tmp_path}/jobs-{len(servers)}.db",
            job_kinds=["tests.jobkinds:registry"],
            job_lease_seconds=2,
            poll_interval_seconds=0.1,
            shutdown_grace_seconds=0.5,
            **overrides,  # type: ignore[arg-type]
        )
        port = free_port()
        config = uvicorn.Config(
            create_app(settings), host="127.0.0.1", port=port, log_level="warning"
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.01)
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10)
        servers.append((server, thread, client))
        return client

    yield start
    for server, thread, client in servers:
        client.close()
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def client(serve: ServerFactory) -> httpx.Client:
    return serve()


def wait_finished(client: httpx.Client, job_id: str, timeout: float = 15, **kwargs: object) -> dict:
    """Poll /status until the job is final."""
    deadline = time.monotonic() + timeout
    while True:
        body = client.get(f"/status/{job_id}", **kwargs).json()  # type: ignore[arg-type]
        if body["status"] in ("completed", "failed", "cancelled"):
            return body
        assert time.monotonic() < deadline, f"job still {body['status']}"
        time.sleep(0.05)
