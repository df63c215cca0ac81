"""Each access-log format read from a real file: endpoints, statuses and durations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from apiscope.analysis.traffic import Kind, TrafficOptions, WorstApi, read_traffic
from tests.analysis.traffic.conftest import alb_line, apache_line, apigw_line, nginx_line, write_log


def by_endpoint(apis: tuple[WorstApi, ...]) -> dict[str, WorstApi]:
    return {api.endpoint: api for api in apis}


def test_nginx_request_time_is_seconds(tmp_path: Path) -> None:
    """nginx's decimal `$request_time` is read as seconds, so 0.250 is 250 ms."""
    log = write_log(tmp_path / "access.log", [nginx_line("GET", "/a", seconds=0.25)])
    [api] = read_traffic(log).apis
    assert api.p50_ms == pytest.approx(250, rel=0.01)
    assert api.to_json()["total_ms"] == pytest.approx(250)


def test_nginx_main_format_with_forwarded_for_and_rt_prefix(tmp_path: Path) -> None:
    """Extra quoted fields before the time and an `rt=` prefix are understood."""
    line = nginx_line(
        "GET", "/a", seconds=None, extra=' "198.51.100.7, 10.0.0.2" rt=1.500 uct="0.000"'
    )
    [api] = read_traffic(write_log(tmp_path / "access.log", [line])).apis
    assert api.p95_ms == pytest.approx(1500, rel=0.01)


def test_nginx_line_without_time_still_counts(tmp_path: Path) -> None:
    """Plain combined without a time field counts requests and errors, with no latency."""
    log = write_log(tmp_path / "access.log", [nginx_line("GET", "/a", 503, seconds=None)] * 4)
    [api] = read_traffic(log).apis
    assert (api.requests, api.error_rate, api.p95_ms) == (4, 1.0, None)


def test_absolute_uri_in_request_line(tmp_path: Path) -> None:
    """A proxy-style request line `GET http://host/path` is read as its path."""
    log = write_log(tmp_path / "access.log", [nginx_line("GET", "http://api.example.com/a/b?x=1")])
    assert read_traffic(log).apis[0].path == "/a/b"


def test_apache_microseconds_and_escaped_quotes(tmp_path: Path) -> None:
    """Apache's `%D` is whole microseconds; an escaped quote in the user agent is read past."""
    log = write_log(
        tmp_path / "access.log", [apache_line("POST", "/orders", 201, micros=1_500_000)]
    )
    [api] = read_traffic(log).apis
    assert (api.endpoint, api.requests) == ("POST /orders", 1)
    assert api.p99_ms == pytest.approx(1500, rel=0.01)


def test_time_unit_can_be_forced(tmp_path: Path) -> None:
    """`time_unit="ms"` reads Apache's `%{ms}T` whole milliseconds."""
    log = write_log(tmp_path / "access.log", [apache_line("GET", "/a", micros=120)])
    [api] = read_traffic(log, TrafficOptions(time_unit="ms")).apis
    assert api.p50_ms == pytest.approx(120, rel=0.01)


def test_alb_sums_the_three_processing_times(tmp_path: Path) -> None:
    """ALB duration = request + target + response processing time, host and query removed."""
    lines = [
        alb_line("GET", "https://api.example.com:443/users/7?x=1", 200, (0.001, 0.250, 0.002)),
        alb_line("GET", "https://api.example.com:443/users/8", 502, (-1, -1, -1)),
    ]
    report = read_traffic(write_log(tmp_path / "alb.log", lines))
    [api] = report.apis
    assert report.format is Kind.ALB
    assert (api.path, api.requests, api.error_rate) == ("/users/{id}", 2, 0.5)
    assert api.p50_ms == pytest.approx(253, rel=0.01)  # the -1 line has no duration


def test_apigw_route_key_is_the_template(tmp_path: Path) -> None:
    """An HTTP API's `routeKey` groups requests by the gateway's own template."""
    lines = [
        apigw_line("GET", "/prod/pets/abc", route_key="GET /pets/{petId}", latency=120),
        apigw_line("GET", "/prod/pets/xyz", route_key="GET /pets/{petId}", latency=80),
    ]
    report = read_traffic(write_log(tmp_path / "apigw.log", lines))
    assert report.format is Kind.APIGW
    assert [(a.endpoint, a.requests) for a in report.apis] == [("GET /pets/{petId}", 2)]


def test_apigw_greedy_proxy_route_keeps_the_real_path(tmp_path: Path) -> None:
    """`ANY /{proxy+}` says nothing about the endpoint, so the path is used instead."""
    line = apigw_line("POST", "/orders/12", 500, route_key="ANY /{proxy+}")
    [api] = read_traffic(write_log(tmp_path / "apigw.log", [line])).apis
    assert (api.endpoint, api.error_rate) == ("POST /orders/{id}", 1.0)


def test_generic_json_lines_with_nested_ecs_fields(tmp_path: Path) -> None:
    """Elastic Common Schema names reach into nested objects; `event.duration` is nanoseconds."""
    record = {"http": {"request": {"method": "PUT"}, "response": {"status_code": 404}},
              "url": {"path": "/carts/9"}, "event": {"duration": 35_000_000}}  # fmt: skip
    [api] = read_traffic(write_log(tmp_path / "ecs.jsonl", [json.dumps(record)])).apis
    assert (api.endpoint, api.to_json()["client_error_rate"]) == ("PUT /carts/{id}", 1.0)
    assert api.p50_ms == pytest.approx(35, rel=0.01)


def test_json_lines_with_configured_field_names(tmp_path: Path) -> None:
    """Custom field names for every role, with the duration unit given."""
    lines = [json.dumps({"verb": "DELETE", "target": "/a/1", "code": 204, "took": 0.5})]
    options = TrafficOptions(
        format=Kind.JSON,
        fields={"method": "verb", "path": "target", "status": "code", "duration": "took"},
        time_unit="s",
    )
    [api] = read_traffic(write_log(tmp_path / "custom.jsonl", lines), options).apis
    assert api.endpoint == "DELETE /a/{id}" and api.p50_ms == pytest.approx(500, rel=0.01)


def test_nginx_json_request_field(tmp_path: Path) -> None:
    """A `request` field holding the whole request line gives method and path."""
    line = json.dumps(
        {"request": "GET /search?q=x HTTP/2.0", "status": "200", "request_time": "0.010"}
    )
    [api] = read_traffic(write_log(tmp_path / "nginx.jsonl", [line])).apis
    assert api.endpoint == "GET /search" and api.p50_ms == pytest.approx(10, rel=0.01)
