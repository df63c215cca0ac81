"""`apiscope analyze` as a user runs it: the demo to every format, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from tests.analysis.reports.test_reports import SCHEMA
from tests.e2e.conftest import apiscope_env, run_cli


def test_analyze_demo_writes_a_valid_sarif_file(tmp_path: Path) -> None:
    """`analyze --demo --format sarif --output F` exits 0 with a schema-valid report."""
    out = tmp_path / "report.sarif"
    result = run_cli("analyze", "--demo", "--format", "sarif", "--output", str(out),
                     env=apiscope_env(f"sqlite:///{tmp_path}/x.db"))  # fmt: skip
    assert result.returncode == 0, result.stderr
    jsonschema.validate(json.loads(out.read_text()), SCHEMA)


def test_analyze_a_local_repository_with_a_worst_file(tmp_path: Path) -> None:
    """REPO and --worst FILE (JSON) print the JSON result on stdout."""
    from apiscope.analysis.demo import DEMO_ROOT, DEMO_WORST_APIS

    result = run_cli("analyze", str(DEMO_ROOT), "--worst", str(DEMO_WORST_APIS),
                     env=apiscope_env(f"sqlite:///{tmp_path}/x.db"))  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["stats"]["worst_apis"] == len(json.loads(DEMO_WORST_APIS.read_text()))


def test_bad_input_exits_2_and_a_failed_analysis_exits_1(tmp_path: Path) -> None:
    """A missing worst file is bad input (2); a repository that does not exist fails the job (1)."""
    env = apiscope_env(f"sqlite:///{tmp_path}/x.db")
    missing = run_cli("analyze", ".", "--worst", str(tmp_path / "none.json"), env=env)
    assert missing.returncode == 2 and missing.stderr.startswith("apiscope: error:")
    worst = tmp_path / "worst.json"
    worst.write_text(json.dumps([{"endpoint": "GET /x"}]))
    failed = run_cli("analyze", str(tmp_path / "no-repo"), "--worst", str(worst), env=env)
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
