"""The README's embedding example runs as shown: a user's own slow endpoint becomes a job."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
from bench.server import free_port

from tests.e2e.conftest import ROOT


def test_the_readme_example_runs_a_job_to_completion(tmp_path: Path) -> None:
    """`uvicorn examples.slow_report:app`, submit, follow to the result."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "examples.slow_report:app", "--port", str(port)],
        cwd=tmp_path, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            deadline = time.monotonic() + 30
            while True:
                try:
                    response = client.post("/jobs/monthly-report", json={"month": "2026-10"})
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline, "example did not start"
                    time.sleep(0.1)
            assert response.status_code == 202
            location = response.headers["location"]
            while (body := client.get(location).json())["status"] != "completed":
                assert body["status"] in ("pending", "processing"), body
                assert time.monotonic() < deadline + 30
                time.sleep(0.2)
            assert body["result"] == {"month": "2026-10", "total": 1234}
            assert (tmp_path / ".apiscope" / "example.db").exists()
    finally:
        server.terminate()
        server.wait(timeout=15)
