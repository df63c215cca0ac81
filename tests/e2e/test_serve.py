"""`apiscope serve` as a subprocess: follow jobs, survive SIGKILL, refuse bad start-ups."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.e2e.conftest import apiscope_env, run_cli
from tests.http.conftest import wait_finished


def wait_until(client: httpx.Client, job_id: str, predicate, timeout: float = 20) -> dict:
    deadline = time.monotonic() + timeout
    while not predicate(body := client.get(f"/status/{job_id}").json()):
        assert time.monotonic() < deadline, body
        time.sleep(0.05)
    return body


def test_follow_a_job_by_polling_and_by_sse(start_server) -> None:
    """One job followed both ways: polling sees progress rise; SSE ends with the final state."""
    server = start_server()
    job_id = server.client.post("/jobs/sleep", json={"seconds": 1.5, "steps": 15}).json()["job_id"]
    with server.client.stream("GET", f"/jobs/{job_id}/events") as response:
        events = [
            json.loads(line[5:]) for line in response.iter_lines() if line.startswith("data:")
        ]
    polled = wait_finished(server.client, job_id)
    assert polled["status"] == "completed" and polled["result"] == {"slept": 1.5}
    assert events[-1] == polled
    progress = [e["progress"] for e in events]
    assert progress == sorted(progress) and len(set(progress)) >= 3


def test_a_job_survives_sigkill_of_the_server(start_server) -> None:
    """Killed mid-job, the next server takes the job over after its lease and completes it."""
    server = start_server()
    job_id = server.client.post("/jobs/sleep", json={"seconds": 4, "steps": 40}).json()["job_id"]
    wait_until(server.client, job_id, lambda b: b["progress"] >= 10)
    server.kill()
    restarted = start_server()
    assert restarted.client.get(f"/status/{job_id}").json()["status"] in ("processing", "pending")
    done = wait_finished(restarted.client, job_id, timeout=30)
    assert done["status"] == "completed" and done["attempts"] == 2


def test_a_job_killed_on_its_last_attempt_fails_with_a_clear_error(start_server) -> None:
    """After its last attempt died with the server, the job fails; it is never left processing."""
    server = start_server()
    job_id = server.client.post("/jobs/sleep", json={"seconds": 6, "steps": 60}).json()["job_id"]
    wait_until(server.client, job_id, lambda b: b["progress"] >= 5)
    server.kill()
    second = start_server()
    wait_until(
        second.client, job_id, lambda b: b["attempts"] == 2 and b["status"] == "processing", 30
    )
    second.kill()
    third = start_server()
    done = wait_finished(third.client, job_id, timeout=30)
    assert done["status"] == "failed"
    assert done["error"] == "Job failed: the executor running attempt 2 of 2 stopped responding"


def test_no_execute_leaves_jobs_to_a_worker(start_server, tmp_path: Path) -> None:
    """`serve --no-execute` only accepts jobs; an `apiscope worker` on the same store runs them."""
    store = f"sqlite:///{tmp_path}/shared.db"
    api = start_server(store, no_execute=True)
    job_id = api.client.post("/jobs/echo", json={"via": "worker"}).json()["job_id"]
    time.sleep(0.5)
    assert api.client.get(f"/status/{job_id}").json()["status"] == "pending"
    worker = subprocess.Popen(
        [sys.executable, "-m", "apiscope", "worker", "--concurrency", "2"], env=apiscope_env(store)
    )
    try:
        assert wait_finished(api.client, job_id)["result"] == {"via": "worker"}
    finally:
        worker.terminate()
        assert worker.wait(timeout=15) == 0


def test_bad_stores_fail_start_up_with_one_line_and_exit_2(tmp_path: Path) -> None:
    """A corrupt database file or an unwritable path is one line on stderr and exit code 2."""
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"\x00garbage" * 512)
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    for store in (f"sqlite:///{corrupt}", f"sqlite:///{blocker}/jobs.db", "mysql://nope"):
        result = run_cli("serve", "--port", "1", env=apiscope_env(store))
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("apiscope: error:"), result.stderr
        assert "Traceback" not in result.stderr


def test_jobs_cli_lists_shows_and_cancels(start_server, tmp_path: Path) -> None:
    """`apiscope jobs` reads and cancels jobs in the store a server is using."""
    store = f"sqlite:///{tmp_path}/cli.db"
    server = start_server(store)
    env = apiscope_env(store)
    job_id = server.client.post("/jobs/sleep", json={"seconds": 30, "steps": 300}).json()["job_id"]
    listed = run_cli("jobs", "list", "--json", env=env)
    assert listed.returncode == 0 and [j["job_id"] for j in json.loads(listed.stdout)] == [job_id]
    shown = run_cli("jobs", "show", job_id, env=env)
    assert shown.returncode == 0 and json.loads(shown.stdout)["kind"] == "sleep"
    cancelled = run_cli("jobs", "cancel", job_id, env=env)
    assert cancelled.returncode == 0, cancelled.stderr
    assert wait_finished(server.client, job_id)["status"] == "cancelled"
    again = run_cli("jobs", "cancel", job_id, env=env)
    assert again.returncode == 2 and "already cancelled" in again.stderr
    missing = run_cli("jobs", "show", "no-such-job", env=env)
    assert (missing.returncode, missing.stderr.strip()) == (2, "apiscope: error: Job not found")
    table = run_cli("jobs", "list", env=env)
    assert table.returncode == 0 and job_id[:8] in table.stdout
