"""`matched_apis`: the result entries, exactly as the contract shapes them."""

from __future__ import annotations

from apiscope.analysis.matching import Matcher, matched_apis
from apiscope.analysis.traffic import parse_worst_apis
from tests.analysis.matching.conftest import route

ROUTES = [
    route("GET", "/users/{id}", 10, "get_user"),
    route("POST", "/orders", 20, "create_order"),
    route("GET", "/health", 30, "health"),
]


def test_entries_follow_the_contract_in_input_order() -> None:
    """One entry per worst API, in input order, with route, colour and reason."""
    apis = parse_worst_apis(
        [
            {"endpoint": "GET /users/42", "p95Ms": 1500, "requests": 10},
            {"method": "GET", "path": "/nowhere", "p95_ms": 5000},
            {"url": "https://x.io/health?deep=1", "method": "get", "p95_ms": 12},
        ]
    )
    assert matched_apis(apis, ROUTES) == [
        {
            "worst_api": {"method": "GET", "path": "/users/42", "p95_ms": 1500.0, "requests": 10},
            "route": {"method": "GET", "path": "/users/{id}", "file": "app.py", "line": 10,
                      "handler": "get_user"},
            "color": "red",
            "reason": "red: p95 1,500 ms ≥ 1,000 ms",
        },
        {
            "worst_api": {"method": "GET", "path": "/nowhere", "p95_ms": 5000.0},
            "route": None,
            "color": "grey",
            "reason": "grey: no route in the code matches GET /nowhere",
        },
        {
            "worst_api": {"method": "GET", "path": "/health", "p95_ms": 12.0},
            "route": {"method": "GET", "path": "/health", "file": "app.py", "line": 30,
                      "handler": "health"},
            "color": "green",
            "reason": "green: p95 12 ms, all under the yellow thresholds",
        },
    ]  # fmt: skip


def test_partial_match_is_grey_and_names_the_declared_methods() -> None:
    """`GET /orders` exists only as POST: grey, no route, and the reason says POST."""
    [entry] = matched_apis(parse_worst_apis([{"endpoint": "GET /orders", "p95_ms": 3000}]), ROUTES)
    assert entry["route"] is None and entry["color"] == "grey"
    assert entry["reason"] == "grey: the code declares /orders for POST, not GET"


def test_stage_prefix_detected_from_the_worst_apis() -> None:
    """Worst APIs logged under `/prod` match, and the reason mentions the removed base path."""
    apis = parse_worst_apis([{"endpoint": "GET /prod/users/1"}, {"endpoint": "GET /prod/health"}])
    entries = matched_apis(apis, Matcher(ROUTES))
    assert [e["route"]["path"] for e in entries] == ["/users/{id}", "/health"]
    assert entries[0]["reason"].endswith("(matched with base path /prod removed)")


def test_configured_base_path_overrides_detection() -> None:
    """An explicit empty list of base paths turns detection off."""
    apis = parse_worst_apis([{"endpoint": "GET /prod/users/1"}, {"endpoint": "GET /prod/health"}])
    assert [e["color"] for e in matched_apis(apis, ROUTES, base_paths=[])] == ["grey", "grey"]


def test_worst_api_without_method_matches_any_method() -> None:
    """A worst API given only a path matches the path's route whatever its method."""
    [entry] = matched_apis(parse_worst_apis([{"path": "/orders", "error_rate": 0.2}]), ROUTES)
    assert entry["route"]["method"] == "POST"
    assert entry["worst_api"]["method"] == "ANY"
    assert entry["color"] == "red"


def test_matcher_with_configured_base_path_keeps_it() -> None:
    """A matcher built with a base path is used as it is, without detection overriding it."""
    urls = ["/stage/users/1", "/v9/users/2", "/v9/health"]
    apis = parse_worst_apis([{"endpoint": f"GET {url}"} for url in urls])
    entries = matched_apis(apis, Matcher(ROUTES, base_paths=["/stage"]))
    assert [e["color"] == "grey" for e in entries] == [False, True, True]
