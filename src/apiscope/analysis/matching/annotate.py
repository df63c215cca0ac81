"""Worst APIs matched to the code's routes and colour-coded: the `matched_apis` of a result.

    matched_apis(worst_apis, discovery.routes)
    → [{"worst_api": {...}, "route": {"method", "path", "file", "line", "handler"} | None,
        "color": "red", "reason": "red: p95 1,240 ms ≥ 1,000 ms"}, ...]   # in input order

Only a FULL match has a route. A PARTIAL one (the path exists for other methods) is grey like no
match at all, and its reason says which methods the path does declare, which usually points at
a wrong method in the monitoring export or a route discovery missed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from apiscope.analysis.matching.colors import Color, ColorThresholds, grade
from apiscope.analysis.matching.prefixes import detect_base_paths
from apiscope.analysis.matching.trie import Match, Matcher, MatchResult
from apiscope.analysis.routes import Route


class ObservedApi(Protocol):
    """A worst API as matching needs it (`apiscope.analysis.traffic.WorstApi` is one)."""

    @property
    def method(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def p95_ms(self) -> float | None: ...
    @property
    def p99_ms(self) -> float | None: ...
    @property
    def avg_ms(self) -> float | None: ...
    @property
    def error_rate(self) -> float | None: ...
    def to_json(self) -> dict[str, Any]: ...


def route_json(route: Route, *, handler: bool = True) -> dict[str, Any]:
    """A route as results show it: `handler` for analysis results, left out by `apiscope match`."""
    data: dict[str, Any] = {
        "method": route.method,
        "path": route.path,
        "file": route.file,
        "line": route.line,
    }
    return data | {"handler": route.handler} if handler else data


def build_matcher(
    routes: Sequence[Route] | Matcher, urls: Sequence[str], base_paths: Sequence[str] | None = None
) -> Matcher:
    """A matcher for these routes, with the base paths given (or the matcher's own) or else
    detected from `urls`."""
    matcher = routes if isinstance(routes, Matcher) else Matcher(routes)
    if base_paths is None and not matcher.base_paths:
        base_paths = detect_base_paths(matcher, urls)
    return matcher.with_base_paths(base_paths) if base_paths else matcher


def matched_apis(
    worst_apis: Sequence[ObservedApi],
    routes: Sequence[Route] | Matcher,
    thresholds: ColorThresholds | None = None,
    base_paths: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """One entry per worst API, in input order: the route it matches, its colour and why."""
    matcher = build_matcher(routes, [api.path for api in worst_apis], base_paths)
    return [_entry(api, matcher.lookup(api.method, api.path), thresholds) for api in worst_apis]


def _entry(
    api: ObservedApi, found: MatchResult, thresholds: ColorThresholds | None
) -> dict[str, Any]:
    if found.match is not Match.FULL or found.route is None:
        return {
            "worst_api": api.to_json(),
            "route": None,
            "color": Color.GREY.value,
            "reason": _grey(api, found),
        }
    color, reason = grade(api, thresholds)
    if found.base_path:
        reason += f" (matched with base path {found.base_path} removed)"
    return {
        "worst_api": api.to_json(),
        "route": route_json(found.route),
        "color": color.value,
        "reason": reason,
    }


def _grey(api: ObservedApi, found: MatchResult) -> str:
    if found.match is Match.PARTIAL and found.route is not None:
        methods = ", ".join(found.allowed)
        return f"grey: the code declares {found.route.path} for {methods}, not {api.method}"
    return f"grey: no route in the code matches {api.method} {api.path}"
