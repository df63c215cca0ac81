"""The analysis job end to end on the bundled demo application."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from apiscope.analysis.demo import DEMO_ROOT
from apiscope.jobs import JobStatus
from tests.analysis.conftest import run_analysis


def test_the_result_has_the_contract_keys(demo_result: dict[str, Any]) -> None:
    """repository, discovered_apis, matched_apis, ai_analysis and stats, as DESIGN.md says."""
    assert {"repository", "discovered_apis", "matched_apis", "ai_analysis", "stats"} <= set(
        demo_result
    )
    assert demo_result["repository"]["repo"] == str(DEMO_ROOT)
    route = demo_result["discovered_apis"][0]
    assert set(route) == {"method", "path", "file", "line", "handler", "framework"}
    analysis = demo_result["ai_analysis"]
    assert analysis["provider"] == "rules" and isinstance(analysis["summary"], str)
    assert {"findings", "warnings"} <= set(analysis)


def test_worst_apis_are_matched_in_input_order_with_colours(demo_result: dict[str, Any]) -> None:
    """Each worst API gets its route and colour; an endpoint without code is grey."""
    matched = demo_result["matched_apis"]
    assert [m["worst_api"]["path"] for m in matched][:2] == [
        "/api/v1/orders",
        "/api/v1/users/4211/orders",
    ]
    by_path = {m["worst_api"]["path"]: m for m in matched}
    orders = by_path["/api/v1/orders"]
    assert (
        orders["route"]["file"] == "app/routers/orders.py"
        and orders["route"]["handler"] == "list_orders"
    )
    assert orders["color"] == "red" and orders["reason"]
    assert (
        by_path["/api/v1/carts/77"]["color"] == "grey"
        and by_path["/api/v1/carts/77"]["route"] is None
    )
    assert by_path["/healthz"]["color"] == "green"
    assert by_path["/gateway/recommendations/42"]["route"]["file"] == "gateway/recommendations.js"


def test_findings_point_at_the_slow_lines(demo_result: dict[str, Any]) -> None:
    """The N+1 loop in list_orders is found, with evidence inside the handler."""
    findings = demo_result["ai_analysis"]["findings"]
    assert findings, "the demo has slow patterns the rules must find"
    orders = [f for f in findings if f["api"] == "GET /api/v1/orders"]
    assert orders
    for finding in findings:
        for evidence in finding["evidence"]:
            source = (DEMO_ROOT / evidence["file"]).read_text().splitlines()
            assert 1 <= evidence["line_start"] <= evidence["line_end"] <= len(source)


async def test_a_missing_repository_fails_the_job_with_a_clear_error(tmp_path: Path) -> None:
    """A repository that does not exist is a failed job saying so, not retried."""
    params = {"repo": str(tmp_path / "nope"), "worst_apis": [{"endpoint": "GET /x"}]}
    job = await run_analysis(params)
    assert job.status is JobStatus.FAILED and job.attempts == 1
    assert "nope" in (job.error or "")
