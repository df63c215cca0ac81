"""The fault suite, small enough for CI: `apiscope serve` on SQLite SIGKILLed mid-run."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench.faults.scenarios import FaultRun, sqlite_scenario


@pytest.mark.slow
@pytest.mark.timeout(180)
async def test_no_job_is_lost_stuck_or_diverging_when_the_server_is_killed(
    tmp_path: Path,
) -> None:
    """Two SIGKILLs of the server during 100 jobs: every job ends final, with one result."""
    run = FaultRun(jobs=100, kills=2, min_gap=0.3, max_gap=1.0, timeout=120, seed=7)
    report = await sqlite_scenario(run, tmp_path)
    tally = report.tally
    assert (tally.submitted, tally.lost, tally.stuck, tally.different_results) == (100, 0, 0, 0)
    assert report.chaos.kills == 2 and report.recovery_seconds is not None
    assert tally.completed + tally.failed == 100 and tally.executions >= tally.completed
