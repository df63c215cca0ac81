"""Reading whole logs: exact counts, malformed lines, parallel parts, grouping by the code."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from apiscope.analysis.routes import Route
from apiscope.analysis.traffic import TrafficOptions, WorstApi, read_traffic
from tests.analysis.traffic.conftest import nginx_line, write_log


def by_endpoint(apis: tuple[WorstApi, ...]) -> dict[str, WorstApi]:
    return {api.endpoint: api for api in apis}


def test_counts_and_error_rates_are_exact(tmp_path: Path) -> None:
    """Requests, 5xx rate, 4xx rate and total time per endpoint are exact."""
    lines = (
        [nginx_line("GET", f"/users/{i}", 200, 0.100) for i in range(6)]
        + [nginx_line("GET", "/users/7", 500, 0.300), nginx_line("GET", "/users/8", 404, 0.010)]
        + [nginx_line("POST", "/users", 201, 0.020)]
    )
    apis = by_endpoint(read_traffic(write_log(tmp_path / "access.log", lines)).apis)
    users = apis["GET /users/{id}"]
    assert (users.requests, users.error_rate) == (8, 0.125)
    assert users.to_json()["client_error_rate"] == 0.125
    assert users.to_json()["total_ms"] == pytest.approx(910)
    assert users.avg_ms == pytest.approx(113.75)
    assert apis["POST /users"].requests == 1


def test_percentiles_follow_the_distribution(tmp_path: Path) -> None:
    """p50, p95 and p99 are within 1 % of the exact nearest-rank values of the log."""
    times = [round(0.001 * (i + 1), 3) for i in range(1000)]
    random.Random(7).shuffle(times)
    log = write_log(tmp_path / "access.log", [nginx_line("GET", "/a", 200, t) for t in times])
    [api] = read_traffic(log).apis
    assert api.p50_ms == pytest.approx(500, rel=0.01)
    assert api.p95_ms == pytest.approx(950, rel=0.01)
    assert api.p99_ms == pytest.approx(990, rel=0.01)


def test_malformed_lines_are_counted_with_examples_and_line_numbers(tmp_path: Path) -> None:
    """Unreadable lines are skipped, counted, and the first ones quoted with their line numbers."""
    lines = [
        nginx_line("GET", "/a"),
        "garbage one",
        nginx_line("GET", "/a"),
        "",
        "\x16\x03\x01 binary",
        nginx_line("GET", "/b"),
    ]
    report = read_traffic(write_log(tmp_path / "access.log", lines))
    assert (report.lines, report.malformed) == (5, 2)
    assert [(m.line, m.text) for m in report.examples] == [
        (2, "garbage one"),
        (5, "\x16\x03\x01 binary"),
    ]
    assert sum(api.requests or 0 for api in report.apis) == 3
    assert "skipped 2 malformed lines (line 2: 'garbage one'" in report.summary()


def test_examples_are_capped_and_shortened(tmp_path: Path) -> None:
    """However many lines are bad, only five are quoted, each at most 200 characters."""
    lines = [nginx_line("GET", "/a")] + ["x" * 1000] * 50
    report = read_traffic(write_log(tmp_path / "access.log", lines))
    assert report.malformed == 50 and len(report.examples) == 5
    assert all(len(m.text) <= 201 for m in report.examples)


def test_parallel_workers_give_the_same_report_as_one_process(tmp_path: Path) -> None:
    """Many small blocks over two worker processes merge to exactly the single-process result."""
    rng = random.Random(3)
    lines = [
        nginx_line(rng.choice(["GET", "POST"]), f"/r{rng.randint(1, 5)}/{rng.randint(1, 10**6)}",
                   rng.choice([200, 200, 404, 500]), rng.lognormvariate(-3, 1))
        for _ in range(3000)
    ]  # fmt: skip
    lines.insert(1234, "not a log line")
    log = write_log(tmp_path / "access.log", lines)
    one = read_traffic(log, TrafficOptions(workers=1, block_bytes=4096))
    two = read_traffic(log, TrafficOptions(workers=2, block_bytes=4096))
    assert [a.to_json() for a in two.apis] == [a.to_json() for a in one.apis]
    assert (two.lines, two.malformed, two.examples) == (one.lines, one.malformed, one.examples)
    assert one.examples[0].line == 1235


def test_lines_split_across_blocks_are_read_whole(tmp_path: Path) -> None:
    """Block boundaries fall inside lines; every line is still read once, none malformed."""
    lines = [nginx_line("GET", f"/items/{i}") for i in range(500)]
    report = read_traffic(
        write_log(tmp_path / "access.log", lines), TrafficOptions(block_bytes=333)
    )
    assert (report.lines, report.malformed, report.apis[0].requests) == (500, 0, 500)


def test_gzip_reads_like_plain(tmp_path: Path) -> None:
    """A gzip log gives the same report as the same log uncompressed."""
    lines = [nginx_line("GET", f"/a/{i}", 200 + (i % 2) * 300, i / 1000) for i in range(200)]
    plain = read_traffic(write_log(tmp_path / "plain.log", lines))
    packed = read_traffic(write_log(tmp_path / "packed.log.1", lines, compress=True))
    assert [a.to_json() for a in packed.apis] == [a.to_json() for a in plain.apis]


def test_routes_group_requests_by_their_template(tmp_path: Path) -> None:
    """With the code's routes, requests group by the template they match, static routes apart."""
    routes = (
        Route("/users/{user_id}", "GET", "app.py", 1, "get_user", "fastapi"),
        Route("/users/me", "GET", "app.py", 2, "me", "fastapi"),
        Route("/files/{path:path}", "GET", "app.py", 3, "files", "fastapi"),
    )
    lines = [
        nginx_line("GET", p)
        for p in ("/users/1", "/users/abc", "/users/me", "/files/a/b.txt", "/other/9")
    ]
    apis = by_endpoint(
        read_traffic(write_log(tmp_path / "a.log", lines), TrafficOptions(routes=routes)).apis
    )
    assert {k: v.requests for k, v in apis.items()} == {
        "GET /users/{user_id}": 2,
        "GET /users/me": 1,
        "GET /files/{path:path}": 1,
        "GET /other/{id}": 1,
    }


def test_stage_prefix_is_detected_when_grouping_by_routes(tmp_path: Path) -> None:
    """Log paths under `/prod` group under the routes once the stage is detected."""
    routes = (Route("/users/{id}", "GET", "app.py", 1, "get_user", "flask"),)
    lines = [nginx_line("GET", f"/prod/users/{i}") for i in range(5)]
    [api] = read_traffic(write_log(tmp_path / "a.log", lines), TrafficOptions(routes=routes)).apis
    assert (api.path, api.requests) == ("/users/{id}", 5)


def test_endpoint_limit_folds_the_rest_into_other(tmp_path: Path) -> None:
    """Past the endpoint limit, new endpoints count under `/(other)`; the report says how many."""
    lines = [nginx_line("GET", f"/page-{name}") for name in "abcdef"]
    report = read_traffic(write_log(tmp_path / "a.log", lines), TrafficOptions(max_endpoints=3))
    assert report.overflow == 3
    assert sorted(a.path for a in report.apis) == ["/(other)", "/page-a", "/page-b", "/page-c"]
