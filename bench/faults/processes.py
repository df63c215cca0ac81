"""The processes the fault suite kills: `apiscope serve` and `apiscope worker` subprocesses, the
AWS shape's event sources (bench/faults/event_sources.py), and the machine's PostgreSQL cluster."""

from __future__ import annotations

import asyncio
import glob
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bench.server import free_port

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30.0


def base_env(store: str, **extra: str) -> dict[str, str]:
    """The environment of an `apiscope` process on `store` with the bench job kinds, and none
    of the caller's own `APISCOPE_*` settings (they would change what is measured)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("APISCOPE_")}
    env.update(
        PYTHONPATH=str(ROOT),
        APISCOPE_STORE=store,
        APISCOPE_JOB_KINDS="bench.jobkinds:registry",
        **extra,
    )
    return env


def service_env(store: str, **extra: str) -> dict[str, str]:
    """The fault suite's services: a 2 s lease and fast polling, so take-overs come quickly."""
    return base_env(
        store, APISCOPE_JOB_LEASE_SECONDS="2", APISCOPE_POLL_INTERVAL_SECONDS="0.2", **extra
    )


def run_cli(*args: str, env: dict[str, str]) -> None:
    """Run one `apiscope` command to completion; raise with its output if it failed."""
    done = subprocess.run(
        [sys.executable, "-m", "apiscope", *args],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"apiscope {' '.join(args)} failed: {done.stderr.strip()}")


class Service:
    """One service (`python -m MODULE ARGS`, `apiscope` by default) that can be SIGKILLed and
    started again with the same arguments (a server keeps its port, so clients reach the
    restarted one at the same address)."""

    def __init__(
        self,
        name: str,
        args: list[str],
        env: dict[str, str],
        folder: Path,
        module: str = "apiscope",
    ) -> None:
        self.name = name
        self.args = args
        self.module = module
        self.env = env
        self.folder = folder
        self.health_url: str | None = None
        self.ready_line: str | None = None
        """For a worker: the log line saying it runs (it serves no /healthz)."""
        self.starts = 0
        self.exits = 0
        """Times the process was found ended when nothing had stopped it: a crash."""
        self.process: subprocess.Popen[bytes] | None = None

    async def start(self) -> None:
        """Start the process; for a server, return once it answers /healthz."""
        log_path = self.folder / f"{self.name}-{self.starts}.log"
        self.starts += 1
        self.process = await asyncio.to_thread(self._spawn, log_path)
        if self.health_url is not None:
            await _wait_healthy(self.process, self.health_url, log_path)
        if self.ready_line is not None:
            await _wait_logged(self.process, self.ready_line, log_path)

    def _spawn(self, log_path: Path) -> subprocess.Popen[bytes]:
        with open(log_path, "wb") as log:
            return subprocess.Popen(
                [sys.executable, "-m", self.module, *self.args],
                env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip

    def check(self) -> None:
        """Count an exit nobody asked for."""
        if self.process is not None and self.process.poll() is not None:
            self.exits += 1

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, leases stay held until they expire."""
        self.check()
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        """End the process gracefully (SIGTERM), or kill it if it does not stop."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()


async def _wait_healthy(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    async with httpx.AsyncClient(timeout=2) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"service exited at start-up: {_tail(log)}")
            try:
                if (await client.get(url)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.05)
    raise RuntimeError(f"service did not answer {url} within {START_TIMEOUT:.0f} s")


async def _wait_logged(process: subprocess.Popen[bytes], line: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"service exited at start-up: {_tail(log)}")
        if line in _tail(log):
            return
        await asyncio.sleep(0.05)
    raise RuntimeError(f"service did not log {line!r} within {START_TIMEOUT:.0f} s")


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-2000:]


def server(
    store: str, folder: Path, *, env: dict[str, str] | None = None, execute: bool = True
) -> Service:
    """`apiscope serve` on `store` on a free loopback port, executing jobs in-process unless
    `execute` is False; the fault suite's environment unless `env` is given."""
    port = free_port()
    args = ["serve", "--port", str(port)] + ([] if execute else ["--no-execute"])
    service = Service("serve", args, env or service_env(store), folder)
    service.health_url = f"http://127.0.0.1:{port}/healthz"
    return service


def worker(
    store: str,
    folder: Path,
    index: int,
    concurrency: int | None = None,
    *,
    env: dict[str, str] | None = None,
) -> Service:
    """`apiscope worker` number `index` on `store` (concurrency from the environment if None)."""
    args = ["worker"] + ([] if concurrency is None else ["--concurrency", str(concurrency)])
    service = Service(f"worker{index}", args, env or service_env(store), folder)
    service.ready_line = "worker running"
    return service


def restart_postgres() -> None:
    """Restart the local PostgreSQL cluster (needs pg_ctlcluster and root): every connection
    drops, and the database is unreachable for a moment."""
    clusters = glob.glob("/etc/postgresql/*/main")
    if not clusters:
        raise RuntimeError("no PostgreSQL cluster under /etc/postgresql to restart")
    version = Path(clusters[0]).parent.name
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True, timeout=60, capture_output=True,
    )  # fmt: skip
