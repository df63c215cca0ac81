"""Ranking by impact: time users wait, failed requests priced in, deterministic ties."""

from __future__ import annotations

from apiscope.analysis.traffic import WorstApi, impact_ms, parse_worst_apis, rank, ranked_json


def endpoints(ranked: list[WorstApi]) -> list[str]:
    return [api.endpoint for api in ranked]


def test_busy_slow_endpoint_outranks_rare_slower_one() -> None:
    """10,000 requests at 2 s p95 outrank 10 requests at 5 s, and a busy fast one."""
    apis = parse_worst_apis([
        {"endpoint": "GET /admin", "p95_ms": 5000, "requests": 10},
        {"endpoint": "GET /search", "p95_ms": 2000, "requests": 10_000},
        {"endpoint": "GET /health", "p95_ms": 2, "requests": 1_000_000},
    ])  # fmt: skip
    assert endpoints(rank(apis)) == ["GET /search", "GET /health", "GET /admin"]


def test_errors_add_a_second_per_failed_request() -> None:
    """An endpoint failing fast is priced at one second of waiting per failed request."""
    [api] = parse_worst_apis(
        [{"endpoint": "POST /pay", "p95_ms": 10, "error_rate": 0.5, "requests": 100}]
    )
    assert impact_ms(api) == 100 * 10 + 100 * 0.5 * 1000


def test_latency_stand_ins_and_missing_requests() -> None:
    """Without p95 the p99, then average, then p50 stands in; no `requests` counts as one."""
    apis = parse_worst_apis([{"path": "/a", "p99_ms": 7}, {"path": "/b", "avg_ms": 5, "p50_ms": 1},
                             {"path": "/c", "p50_ms": 3}, {"path": "/d"}])  # fmt: skip
    assert [impact_ms(a) for a in apis] == [7, 5, 3, 0]


def test_ties_break_on_error_rate_then_p99_then_name() -> None:
    """Equal impact: higher error rate first, then higher p99, then by path."""
    apis = parse_worst_apis([
        {"path": "/z", "p95_ms": 100, "requests": 1},
        {"path": "/y", "p95_ms": 100, "p99_ms": 900, "requests": 1},
        {"path": "/a", "p95_ms": 100, "requests": 1},
    ])  # fmt: skip
    assert endpoints(rank(apis)) == ["ANY /y", "ANY /a", "ANY /z"]


def test_top_n_and_json_carries_the_score() -> None:
    """`top` keeps the first N; the JSON objects are worst APIs plus `impact_ms`."""
    apis = parse_worst_apis([{"path": f"/{i}", "p95_ms": i, "requests": 1} for i in range(1, 6)])
    ranked = rank(apis, top=2)
    assert ranked_json(ranked) == [
        {"method": "ANY", "path": "/5", "p95_ms": 5.0, "requests": 1, "impact_ms": 5.0},
        {"method": "ANY", "path": "/4", "p95_ms": 4.0, "requests": 1, "impact_ms": 4.0},
    ]
    again = parse_worst_apis(ranked_json(ranked))
    assert [a.endpoint for a in again] == ["ANY /5", "ANY /4"]  # valid as `--worst` input
