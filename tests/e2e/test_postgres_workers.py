"""Scale-out on PostgreSQL: several `apiscope worker` processes, crashes and a database restart."""

from __future__ import annotations

import asyncio
import glob
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from apiscope.jobs import JobEngine, JobStatus
from apiscope.jobs.stores import open_store
from tests.conftest import skip_or_fail
from tests.e2e.conftest import apiscope_env, run_cli
from tests.jobkinds import registry

pytestmark = pytest.mark.timeout(240)


@pytest.fixture
def workers(postgres_url: str, tmp_path: Path) -> Iterator:
    """Start `apiscope worker` processes on the test's PostgreSQL schema."""
    upgraded = run_cli("db", "upgrade", env=apiscope_env(postgres_url))
    assert upgraded.returncode == 0, upgraded.stderr
    started: list[subprocess.Popen[bytes]] = []

    def start(concurrency: int = 4, **env: str) -> subprocess.Popen[bytes]:
        log = open(tmp_path / f"worker-{len(started)}.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "-m", "apiscope", "worker", "--concurrency", str(concurrency)],
            env=apiscope_env(postgres_url, **env), stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        log.close()
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)


async def submit(url: str, count: int, **params: object) -> list[str]:
    async with JobEngine(open_store(url), registry, execute=False).running() as engine:
        return [(await engine.submit("record", params))[0].id for _ in range(count)]


async def wait_all_final(url: str, ids: list[str], timeout: float) -> Counter[JobStatus]:
    async with JobEngine(open_store(url), registry, execute=False).running() as engine:
        deadline = time.monotonic() + timeout
        while True:
            stats = await engine.store.stats()
            done = sum(stats.by_status[s] for s in (JobStatus.COMPLETED, JobStatus.FAILED))
            if done >= len(ids) or time.monotonic() > deadline:
                return Counter({s: n for s, n in stats.by_status.items() if n})
            await asyncio.sleep(0.2)


def recorded(path: Path) -> Counter[str]:
    return Counter(path.read_text().split()) if path.exists() else Counter()


async def test_three_workers_complete_500_jobs_exactly_once(
    workers, postgres_url: str, tmp_path: Path
) -> None:
    """Every job completes, and no job runs twice, with three workers claiming concurrently."""
    log = tmp_path / "executions"
    ids = await submit(postgres_url, 500, path=str(log))
    for _ in range(3):
        workers(concurrency=4)
    by_status = await wait_all_final(postgres_url, ids, timeout=120)
    assert by_status == Counter({JobStatus.COMPLETED: 500})
    executions = recorded(log)
    assert set(executions) == set(ids) and max(executions.values()) == 1


async def test_a_killed_workers_job_is_finished_by_another(
    workers, postgres_url: str, tmp_path: Path
) -> None:
    """SIGKILL a worker mid-job: another worker takes the job over when its lease expires."""
    log = tmp_path / "executions"
    [job_id] = await submit(postgres_url, 1, path=str(log), seconds=3)
    doomed = workers(concurrency=1)
    async with JobEngine(open_store(postgres_url), registry, execute=False).running() as engine:
        while (await engine.get(job_id)).status is not JobStatus.PROCESSING:
            await asyncio.sleep(0.05)
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=10)
        workers(concurrency=1)
        done = await engine.wait(job_id, 60)
    assert (done.status, done.attempts) == (JobStatus.COMPLETED, 2)
    assert recorded(log) == Counter({job_id: 1})


def restart_postgres() -> None:
    clusters = glob.glob("/etc/postgresql/*/main")
    if not clusters or not shutil.which("pg_ctlcluster") or os.geteuid() != 0:
        skip_or_fail("restarting PostgreSQL needs pg_ctlcluster and root")
    version = Path(clusters[0]).parent.name
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True, timeout=60, capture_output=True,
    )  # fmt: skip


async def test_workers_reconnect_after_a_database_restart(
    workers, postgres_url: str, tmp_path: Path
) -> None:
    """PostgreSQL restarts mid-run; workers reconnect and every job still completes."""
    log = tmp_path / "executions"
    ids = await submit(postgres_url, 200, path=str(log), seconds=0.05)
    workers(concurrency=4)
    workers(concurrency=4)
    while sum(recorded(log).values()) < 40:
        await asyncio.sleep(0.05)
    await asyncio.to_thread(restart_postgres)
    by_status = await wait_all_final(postgres_url, ids, timeout=150)
    assert by_status == Counter({JobStatus.COMPLETED: 200})
    assert set(recorded(log)) == set(ids)


async def wait_status(url: str, job_id: str, status: JobStatus) -> None:
    async with JobEngine(open_store(url), registry, execute=False).running() as engine:
        while (await engine.get(job_id)).status is not status:
            await asyncio.sleep(0.05)


async def test_sigterm_lets_a_running_job_finish_within_the_grace_period(
    workers, postgres_url: str, tmp_path: Path
) -> None:
    """A worker told to stop finishes the job it runs, then exits cleanly."""
    [job_id] = await submit(postgres_url, 1, path=str(tmp_path / "log"), seconds=1.5)
    worker = workers(concurrency=1, APISCOPE_SHUTDOWN_GRACE_SECONDS="20")
    await wait_status(postgres_url, job_id, JobStatus.PROCESSING)
    worker.terminate()
    assert await asyncio.to_thread(worker.wait, 30) == 0
    async with JobEngine(open_store(postgres_url), registry, execute=False).running() as engine:
        done = await engine.get(job_id)
    assert (done.status, done.attempts) == (JobStatus.COMPLETED, 1)


async def test_sigterm_releases_a_job_longer_than_the_grace_period(
    workers, postgres_url: str, tmp_path: Path
) -> None:
    """Past the grace period the job goes back to pending, its attempt not counted."""
    [job_id] = await submit(postgres_url, 1, path=str(tmp_path / "log"), seconds=60)
    worker = workers(concurrency=1, APISCOPE_SHUTDOWN_GRACE_SECONDS="0.5")
    await wait_status(postgres_url, job_id, JobStatus.PROCESSING)
    worker.terminate()
    assert await asyncio.to_thread(worker.wait, 30) == 0
    async with JobEngine(open_store(postgres_url), registry, execute=False).running() as engine:
        released = await engine.get(job_id)
    assert (released.status, released.attempts) == (JobStatus.PENDING, 0)
    assert not (tmp_path / "log").exists()


def test_serve_refuses_a_database_without_the_schema(postgres_url: str) -> None:
    """Before `apiscope db upgrade`, start-up stops with one line saying what to run."""
    result = run_cli("serve", "--port", "1", env=apiscope_env(postgres_url))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "apiscope db upgrade" in result.stderr
