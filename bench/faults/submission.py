"""Submitting the fault suite's jobs through outages: every submission carries an idempotency
key, so one retried after a lost answer returns the same job instead of a second one."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx

from apiscope.errors import StoreError
from apiscope.jobs import JobEngine

KIND = "fault-work"
RETRY_PAUSE = 0.1


def _params(n: int, log: Path) -> dict[str, object]:
    return {"n": n, "log": str(log)}


async def submit_http(base_url: str, jobs: int, log: Path, timeout: float) -> dict[str, int]:
    """POST `jobs` jobs to a server that may be down at any moment; job id → job number."""
    deadline = time.monotonic() + timeout
    ids: dict[str, int] = {}
    async with httpx.AsyncClient(base_url=base_url, timeout=5) as client:
        for n in range(jobs):
            ids[await _post(client, n, log, deadline)] = n
    return ids


async def _post(client: httpx.AsyncClient, n: int, log: Path, deadline: float) -> str:
    headers = {"Idempotency-Key": f"fault-{n}"}
    while time.monotonic() < deadline:
        try:
            answer = await client.post(f"/jobs/{KIND}", json=_params(n, log), headers=headers)
        except httpx.TransportError:
            answer = None
        if answer is not None and answer.status_code == 202:
            return str(answer.json()["job_id"])
        await asyncio.sleep(RETRY_PAUSE)
    raise TimeoutError(f"job {n} could not be submitted in time")


async def submit_direct(engine: JobEngine, jobs: int, log: Path, timeout: float) -> dict[str, int]:
    """Store `jobs` jobs through the engine, retrying while the database is unreachable."""
    deadline = time.monotonic() + timeout
    ids: dict[str, int] = {}
    for n in range(jobs):
        ids[await _insert(engine, n, log, deadline)] = n
    return ids


async def _insert(engine: JobEngine, n: int, log: Path, deadline: float) -> str:
    while time.monotonic() < deadline:
        try:
            job, _ = await engine.submit(KIND, _params(n, log), idempotency_key=f"fault-{n}")
            return job.id
        except StoreError:
            await asyncio.sleep(RETRY_PAUSE)
    raise TimeoutError(f"job {n} could not be submitted in time")
