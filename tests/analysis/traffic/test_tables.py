"""CSV files: metrics exports (a worst API per row) and request tables (a request per row)."""

from __future__ import annotations

from pathlib import Path

import pytest

from apiscope.analysis.traffic import Kind, read_traffic
from apiscope.errors import InvalidInput
from tests.analysis.traffic.conftest import write_log


def test_metrics_export_rows_are_worst_apis(tmp_path: Path) -> None:
    """Each row becomes a worst API; camelCase headers and empty cells are fine."""
    csv = write_log(tmp_path / "metrics.csv", [
        "endpoint,p95Ms,p99Ms,errorRate,requests,team",
        "GET /users/42,1200,2400,0.02,1500,accounts",
        "POST /orders,,900,,20,",
    ])  # fmt: skip
    report = read_traffic(csv)
    assert report.format is Kind.CSV
    assert [a.to_json() for a in report.apis] == [
        {"method": "GET", "path": "/users/42", "p95_ms": 1200.0, "p99_ms": 2400.0,
         "error_rate": 0.02, "requests": 1500, "team": "accounts"},
        {"method": "POST", "path": "/orders", "p99_ms": 900.0, "requests": 20},
    ]  # fmt: skip


def test_semicolon_delimiter(tmp_path: Path) -> None:
    """A spreadsheet's `;`-separated export reads the same."""
    csv = write_log(tmp_path / "metrics.csv", ["method;path;p95_ms", "GET;/a;12.5"])
    assert read_traffic(csv).apis[0].p95_ms == 12.5


def test_bad_metrics_row_names_its_line(tmp_path: Path) -> None:
    """A row without an endpoint is an error naming the file and its line number."""
    csv = write_log(tmp_path / "metrics.csv", ["path,p95_ms", "/a,1", ",2"])
    with pytest.raises(InvalidInput, match=r"metrics.csv line 3: no endpoint"):
        read_traffic(csv)


def test_bad_metric_value_names_line_and_field(tmp_path: Path) -> None:
    """A non-numeric metric is an error naming the line and the field."""
    csv = write_log(tmp_path / "metrics.csv", ["path,p95_ms", "/a,fast"])
    with pytest.raises(
        InvalidInput, match=r"metrics.csv line 2: p95_ms: Input should be a valid number"
    ):
        read_traffic(csv)


def test_request_table_is_aggregated_like_a_log(tmp_path: Path) -> None:
    """A CSV of requests (no metric columns) is grouped and measured like an access log."""
    csv = write_log(tmp_path / "requests.csv", [
        "method,path,status,duration_ms",
        "GET,/users/1,200,100",
        "GET,/users/2,500,300",
        "GET,,200,5",
        "POST,/users,201,20",
    ])  # fmt: skip
    report = read_traffic(csv)
    apis = {a.endpoint: a for a in report.apis}
    assert (apis["GET /users/{id}"].requests, apis["GET /users/{id}"].error_rate) == (2, 0.5)
    assert apis["GET /users/{id}"].p99_ms == pytest.approx(300, rel=0.01)
    assert (report.lines, report.malformed, report.examples[0].line) == (4, 1, 4)
