"""GITHUB_TOKEN and the LLM API key are used but never kept: not in the job store, not in any
API answer, not in the metrics and not in the server's log, even when GitHub or the LLM API
fails and quotes them back in its error."""

from __future__ import annotations

import sqlite3
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from apiscope.analysis.demo import DEMO_ROOT
from tests.analysis.analysers.llm.fake_llm import FakeLlm
from tests.analysis.sources.fake_github import FakeGitHub, FakeRepo
from tests.e2e.conftest import Server, ServerStarter

GITHUB_TOKEN = "ghp_" + "Q7rT2xW9kLmN4pZs" * 2 + "Hj5v"
OPENAI_KEY = "sk-proj-" + "Vb8nM3cX" * 5
SECRETS = (GITHUB_TOKEN, OPENAI_KEY)
SHA = "9b1e4f2a7c3d5e6f708192a3b4c5d6e7f8091a2b"
WORST = [
    {"method": "GET", "path": "/api/v1/orders", "p95_ms": 2950, "error_rate": 0.004},
    {"method": "POST", "path": "/api/v1/checkout", "p95_ms": 1290, "error_rate": 0.062},
]
TERMINAL = {"completed", "failed", "cancelled"}


@pytest.fixture
def github(tmp_path: Path) -> Iterator[FakeGitHub]:
    """GitHub with the demo application as the private repository acme/shop, readable only
    with GITHUB_TOKEN, so a finished analysis proves the token was used."""
    archive = tmp_path / "shop.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(DEMO_ROOT, arcname=f"acme-shop-{SHA[:7]}")
    with FakeGitHub(token=GITHUB_TOKEN) as server:
        server.repos["acme", "shop"] = FakeRepo(
            refs={"main": SHA}, tarballs={SHA: archive.read_bytes()}, private=True
        )
        yield server


@pytest.fixture
def llm() -> Iterator[FakeLlm]:
    """An OpenAI-compatible API that refuses our key with a 401 quoting it, as OpenAI does."""
    with FakeLlm() as server:
        yield server


@pytest.fixture
def server(start_server: ServerStarter, github: FakeGitHub, llm: FakeLlm) -> Server:
    return start_server(
        APISCOPE_GITHUB_API_URL=github.api_url,
        GITHUB_TOKEN=GITHUB_TOKEN,
        APISCOPE_LLM_PROVIDER="openai",
        APISCOPE_LLM_BASE_URL=f"{llm.url}/v1",
        OPENAI_API_KEY=OPENAI_KEY,
    )


def run_analysis(client: httpx.Client, repo: str) -> tuple[str, list[httpx.Response]]:
    """Submit an analysis and poll it to its end; its id and every answer received."""
    submitted = client.post(
        "/analyze-worst-apis-with-github-async/", json={"repo": repo, "worst_apis": WORST}
    )
    assert submitted.status_code == 202, submitted.text
    job_id = submitted.json()["job_id"]
    answers = [submitted]
    deadline = time.monotonic() + 45
    while answers[-1].json().get("status") not in TERMINAL:
        assert time.monotonic() < deadline, f"job {job_id} did not finish"
        time.sleep(0.2)
        answers.append(client.get(f"/status/{job_id}"))
    return job_id, answers


def texts(answers: list[httpx.Response]) -> list[str]:
    """Each answer as the client saw it: status line, headers and body."""
    return [f"{a.status_code} {dict(a.headers)}\n{a.text}" for a in answers]


def store_rows(database: Path) -> list[str]:
    """Every row of every table in the SQLite store, as text."""
    with sqlite3.connect(database) as connection:
        tables = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        names = [name for (name,) in tables.fetchall()]
        rows = [
            repr(row) for name in names for row in connection.execute(f'SELECT * FROM "{name}"')
        ]
    connection.close()
    return rows


def assert_no_secrets(where: str, items: list[str]) -> None:
    leaks = [(secret[:8], item[:300]) for item in items for secret in SECRETS if secret in item]
    assert not leaks, f"secrets found in {where}: {leaks}"


@pytest.mark.slow
def test_secrets_appear_nowhere_after_a_degraded_and_a_failed_analysis(
    server: Server, github: FakeGitHub, llm: FakeLlm, tmp_path: Path
) -> None:
    """A finished analysis (the token opened a private repository; the LLM refused the key and
    the report fell back to rules) and a failed one leave no trace of either secret."""
    done_id, done = run_analysis(server.client, "acme/shop")
    failed_id, failed = run_analysis(server.client, "acme/missing")

    assert done[-1].json()["status"] == "completed", done[-1].text
    assert failed[-1].json()["status"] == "failed", failed[-1].text
    assert "acme/missing" in failed[-1].json()["error"]
    assert github.requests[0].headers["authorization"] == f"Bearer {GITHUB_TOKEN}"
    assert llm.received, "the LLM API was never called"
    assert done[-1].json()["result"]["ai_analysis"]["warnings"], "no degrade warning"

    client = server.client
    extra = [client.get(f"/jobs/{job_id}/events") for job_id in (done_id, failed_id)]
    extra += [client.get(f"/jobs/{job_id}") for job_id in (done_id, failed_id)]
    extra += [client.get("/jobs"), client.get("/metrics")]
    assert all(a.status_code == 200 for a in extra), [a.status_code for a in extra]
    assert_no_secrets("API answers", texts(done + failed + extra))

    server.stop()
    assert_no_secrets("the job store", store_rows(tmp_path / "jobs.db"))
    stored = [p.read_bytes().decode("latin-1") for p in tmp_path.glob("jobs.db*")]
    assert_no_secrets("the store's files on disk", stored)
    assert_no_secrets("the server log", [(tmp_path / "serve-0.log").read_text()])
