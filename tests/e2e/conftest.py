"""`apiscope` as a user runs it: a subprocess, over real HTTP on loopback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx
import pytest
from bench.server import free_port

ROOT = Path(__file__).resolve().parents[2]


def apiscope_env(store: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("APISCOPE_")}
    env.update(
        PYTHONPATH=str(ROOT),
        APISCOPE_STORE=store,
        APISCOPE_JOB_KINDS="tests.jobkinds:registry",
        APISCOPE_JOB_LEASE_SECONDS="2",
        APISCOPE_POLL_INTERVAL_SECONDS="0.2",
        **extra,
    )
    return env


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "apiscope", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    client: httpx.Client
    log: IO[bytes]

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self.log.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.client.close()
        self.log.close()


class ServerStarter:
    """Starts `apiscope serve` subprocesses, logging into `folder`; `stop_all` ends them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.started: list[Server] = []

    def __call__(
        self, store: str | None = None, *, no_execute: bool = False, **extra: str
    ) -> Server:
        port = free_port()
        env = apiscope_env(store or f"sqlite:///{self.folder}/jobs.db", **extra)
        log_path = self.folder / f"serve-{len(self.started)}.log"
        log = open(log_path, "wb")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "-m", "apiscope", "serve", "--port", str(port)]
            + (["--no-execute"] if no_execute else []),
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10)
        server = Server(process, client, log)
        self.started.append(server)
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, log_path.read_text()
            try:
                if client.get("/healthz").status_code == 200:
                    return server
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "apiscope serve did not start"
            time.sleep(0.1)

    def stop_all(self) -> None:
        for server in self.started:
            server.stop()


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[ServerStarter]:
    """Start `apiscope serve` on a store; returns a Server with a client bound to it."""
    starter = ServerStarter(tmp_path)
    yield starter
    starter.stop_all()
