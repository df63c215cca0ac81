"""The benchmark server: `apiscope serve`'s application plus a plain FastAPI baseline endpoint.

Run as `python -m bench.server --port N` (configured by the same `APISCOPE_*` environment
variables as `apiscope serve`), it serves the job API and `POST /baseline` from ONE process and
event loop, so a job endpoint and its baseline share the machine, the loop and the noise.
`running_server()` is the parent side: start it on a free loopback port, wait until healthy, and
always stop it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import socket
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Annotated, Any

import httpx
from fastapi import Body, FastAPI
from fastapi.responses import JSONResponse

REPO_ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
STARTUP_SECONDS = 30.0
STOP_SECONDS = 20.0
BASELINE_BODY = {
    "status": "accepted",
    "job_id": "00000000-0000-4000-8000-000000000000",
    "message": "Job accepted. Poll /status/00000000-0000-4000-8000-000000000000 for updates.",
}
_ACTIVE = re.compile(rb'^apiscope_jobs\{status="(pending|processing)"\} ([0-9.e+]+)$', re.M)


# -- child side ---------------------------------------------------------------------------------


def create_bench_app() -> FastAPI:
    """apiscope's app from the environment's settings, plus `POST /baseline`."""
    from apiscope.app import create_app
    from apiscope.settings import Settings

    app = create_app(Settings())

    @app.post("/baseline", status_code=202)
    async def baseline(params: Annotated[dict[str, Any] | None, Body()] = None) -> JSONResponse:
        """The same body in and the same 202 out as a job submission, with no job behind it."""
        headers = {"Location": "/status/0", "Retry-After": "2"}
        return JSONResponse(BASELINE_BODY, status_code=202, headers=headers)

    return app


def main() -> None:
    """Serve like `apiscope serve` does (uvicorn, access log off), quieter."""
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    app = create_bench_app()
    uvicorn.run(app, host=HOST, port=args.port, log_level="warning", access_log=False)


# -- parent side --------------------------------------------------------------------------------


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True, slots=True)
class BenchServer:
    """Where a started bench server listens."""

    host: str
    port: int

    @property
    def url(self) -> str:
        """Its base URL."""
        return f"http://{self.host}:{self.port}"

    def control(self) -> httpx.AsyncClient:
        """An httpx client for the benchmarks' control calls (not for load: see bench.load)."""
        return httpx.AsyncClient(base_url=self.url, timeout=30.0)


def _open_log(path: Path) -> IO[bytes]:
    return path.open("wb")


def _tail(path: Path) -> str:
    """The end of the server's log, for an error message (a small synchronous read)."""
    return path.read_text(errors="replace")[-3000:]


@contextlib.asynccontextmanager
async def running_server(workdir: Path, *, concurrency: int = 4) -> AsyncIterator[BenchServer]:
    """Start the bench server on a fresh SQLite store in `workdir`, wait until it is healthy,
    and always stop it."""
    port = free_port()
    # Only these settings: an APISCOPE_API_KEYS or a store URL from the caller's shell would
    # change what is measured (or fail every request with 401).
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("APISCOPE_")}
    env = {
        **inherited,
        "APISCOPE_STORE": f"sqlite:///{workdir / 'bench.db'}",
        "APISCOPE_JOB_KINDS": "bench.jobkinds:registry",
        "APISCOPE_CONCURRENCY": str(concurrency),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
    }
    log_path = workdir / "server.log"
    with _open_log(log_path) as log:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.server", "--port", str(port),
            cwd=REPO_ROOT, env=env, stdout=log, stderr=log,
        )  # fmt: skip
    server = BenchServer(HOST, port)
    try:
        await _wait_healthy(server.url, proc, log_path)
        yield server
    finally:
        await _stop(proc)


async def _wait_healthy(base_url: str, proc: asyncio.subprocess.Process, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    async with httpx.AsyncClient(base_url=base_url, timeout=2.0) as http:
        while time.monotonic() < deadline:
            if proc.returncode is not None:
                break
            with contextlib.suppress(httpx.TransportError):
                if (await http.get("/healthz")).status_code == 200:
                    return
            await asyncio.sleep(0.1)
    raise RuntimeError(f"the bench server did not start; its log:\n{_tail(log)}")


async def _stop(proc: asyncio.subprocess.Process) -> None:
    """SIGTERM for a graceful shutdown (the engine stops, the store closes), then SIGKILL."""
    if proc.returncode is not None:
        return
    proc.terminate()
    try:
        await asyncio.wait_for(proc.wait(), STOP_SECONDS)
    except TimeoutError:
        proc.kill()
        await proc.wait()


# -- talking to it ------------------------------------------------------------------------------


async def submit_job(http: httpx.AsyncClient, kind: str, params: dict[str, Any]) -> str:
    """Submit a job over HTTP; its id."""
    response = await http.post(f"/jobs/{kind}", json=params)
    response.raise_for_status()
    return str(response.json()["job_id"])


async def job_status(http: httpx.AsyncClient, job_id: str) -> str:
    """The job's status as `GET /status/{id}` reports it."""
    response = await http.get(f"/status/{job_id}")
    response.raise_for_status()
    return str(response.json()["status"])


async def wait_for(
    http: httpx.AsyncClient, job_ids: list[str], statuses: set[str], timeout: float
) -> None:
    """Poll until every job is in one of `statuses`; a bounded wait, so no run hangs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        seen = [await job_status(http, job_id) for job_id in job_ids]
        if all(s in statuses for s in seen):
            return
        if "failed" in seen or "cancelled" in seen:
            raise RuntimeError(f"a benchmark job ended as {seen}")
        await asyncio.sleep(0.05)
    raise TimeoutError(f"jobs {job_ids} did not reach {statuses} within {timeout:g} s")


async def active_jobs(http: httpx.AsyncClient) -> int:
    """Pending plus processing jobs, read from `GET /metrics` (the store's counts)."""
    response = await http.get("/metrics")
    response.raise_for_status()
    return sum(int(float(value)) for _, value in _ACTIVE.findall(response.content))


async def drain(http: httpx.AsyncClient, timeout: float = 120.0) -> float:
    """Wait until the server has run every job it was given; the seconds that took."""
    started = time.monotonic()
    while await active_jobs(http):
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"jobs still running after {timeout:g} s")
        await asyncio.sleep(0.02)
    return time.monotonic() - started


if __name__ == "__main__":
    main()
