"""The fault suite, small enough for CI: `apiscope serve` on SQLite SIGKILLed mid-run, and the
AWS shape's worker functions (SQS pollers on moto's DynamoDB and SQS) SIGKILLed mid-run."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench.faults.scenarios import FaultReport, FaultRun, dynamodb_scenario, sqlite_scenario


def assert_every_job_accounted_for(report: FaultReport, jobs: int, kills: int) -> None:
    """Every job ended final, none lost, stuck or diverging, and every kill happened."""
    tally = report.tally
    assert (tally.submitted, tally.lost, tally.stuck, tally.different_results) == (jobs, 0, 0, 0)
    assert report.chaos.kills == kills and report.recovery_seconds is not None
    assert tally.completed + tally.failed == jobs and tally.executions >= tally.completed
    assert report.chaos.unexpected_exits == 0


@pytest.mark.slow
@pytest.mark.timeout(180)
async def test_no_job_is_lost_stuck_or_diverging_when_the_server_is_killed(
    tmp_path: Path,
) -> None:
    """Two SIGKILLs of the server during 100 jobs: every job ends final, with one result."""
    run = FaultRun(jobs=100, kills=2, min_gap=0.3, max_gap=1.0, timeout=120, seed=7)
    report = await sqlite_scenario(run, tmp_path)
    assert_every_job_accounted_for(report, 100, 2)


@pytest.mark.slow
@pytest.mark.timeout(120)
async def test_no_job_is_lost_stuck_or_diverging_when_worker_functions_are_killed(
    tmp_path: Path,
) -> None:
    """Two SIGKILLs of SQS pollers (the worker function with its event source mapping) during
    100 jobs: a killed batch's messages come back after the visibility timeout and their jobs
    are taken over, so every job ends final, with one result."""
    run = FaultRun(jobs=100, kills=2, min_gap=0.5, max_gap=2.0, timeout=60, seed=9)
    report = await dynamodb_scenario(run, tmp_path)
    assert_every_job_accounted_for(report, 100, 2)
    assert all(victim.startswith("poller") for victim in report.chaos.victims)  # seed 9's picks
