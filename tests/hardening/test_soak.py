"""The sustained load run (bench/soak), briefly: its clients, its account and its memory verdict."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from bench.soak.__main__ import main
from bench.soak.report import growth
from bench.soak.sampler import ProcessSample

from tests.conftest import skip_or_fail
from tests.postgres import POSTGRES_URL, postgres_available


def _readings(rss: Sequence[float]) -> list[ProcessSample]:
    return [
        ProcessSample(at=30.0 * i, rss_mb=mb, threads=8, open_fds=40, store_mb=1.0)
        for i, mb in enumerate(rss)
    ]


def test_a_steady_curve_is_not_growth_but_a_steady_climb_is() -> None:
    """Noise around a level passes; 1 MB more every 30 s for ten minutes fails."""
    steady = _readings([80, 83, 79, 82, 80, 81, 79, 83, 80, 81, 80] * 2)
    climbing = _readings([80.0 + i for i in range(21)])
    assert not growth(steady, warmup=0).grows
    verdict = growth(climbing, warmup=0)
    assert verdict.grows and verdict.fitted_growth_mb == pytest.approx(20.0)


def test_warm_up_readings_do_not_count() -> None:
    """Memory that rises while the server warms up and then holds is not a leak."""
    samples = _readings([40, 60, 80] + [80] * 18)
    assert growth(samples, warmup=0).grows
    assert not growth(samples, warmup=90).grows


SHORT = ["--minutes", "0.33", "--clients", "16", "--keys", "4", "--warmup-minutes", "0.1"]
SHORT += ["--window-seconds", "5", "--sample-seconds", "1", "--demo-share", "0.1"]


@pytest.mark.slow
@pytest.mark.timeout(120)
@pytest.mark.parametrize("store", ["sqlite", "postgres"])
def test_a_short_soak_ends_healthy(store: str, tmp_path: Path) -> None:
    """Twenty seconds of 16 clients on 4 keys against `apiscope serve` (on PostgreSQL with
    `--no-execute` and one worker): every job completes, no request fails (another key's look
    at a job must get 404), and the account and memory curves are written."""
    if store == "postgres" and not postgres_available():
        skip_or_fail(f"PostgreSQL is not reachable at {POSTGRES_URL}")
    output = tmp_path / "soak.json"
    args = [*SHORT, "--store", store, "--workers", "1", "--output", str(output)]
    assert main([*args, "--postgres-url", POSTGRES_URL]) == 0
    data = json.loads(output.read_text())
    jobs, requests = data["jobs"], data["requests"]
    assert jobs["submitted"] > 16 and jobs["completed"] == jobs["submitted"]
    assert {"submit", "status", "events"} <= requests.keys()
    assert all(op["errors"] == 0 for op in requests.values())
    processes = {"serve"} if store == "sqlite" else {"serve", "worker0"}
    assert data["samples"].keys() == data["memory"].keys() == processes
    assert all(len(readings) >= 10 for readings in data["samples"].values())
    assert not any(memory["grows"] for memory in data["memory"].values())
    assert data["crashes"] == 0
