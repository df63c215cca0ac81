"""URL-to-route matching on a segment trie, answering like Starlette's `Match`: FULL, PARTIAL, NONE.

Routes are compiled once into a tree of path segments. A lookup walks it segment by segment and
tries, at each node, the most specific child first: a static segment (one dict lookup), then
constrained or mixed parameters (a regex on that one segment), then a plain parameter, then a
catch-all; it backtracks when a branch dead-ends. So `/users/me` beats `/users/{id}`, and the
cost of a lookup grows with the URL's depth, not with the number of routes, unlike trying one
regex per route in turn.

Methods: HEAD is answered by a GET route, an `ANY` route answers every method, and a request
whose method is unknown (`ANY`) takes the path's GET route, or else its first. A path that matches
only routes of other methods is PARTIAL, as Starlette reports it (a 405 in a real server); the
walk still prefers a FULL match on a less specific branch (`GET /users/me` falls through a
POST-only `/users/me` to `GET /users/{id}`).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from apiscope.analysis.matching.templates import CatchAll, Param, Segment, Static, parse_template
from apiscope.analysis.matching.urls import path_segments
from apiscope.analysis.routes import ANY_METHOD, Route

Methods = dict[str, Route]
"""The routes declared at one path, by method (`ANY` included)."""


class Match(enum.IntEnum):
    """How well a request matched: like `starlette.routing.Match`."""

    NONE = 0
    PARTIAL = 1
    """The path matched a route, the method did not."""
    FULL = 2


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The outcome of one lookup."""

    match: Match
    route: Route | None = None
    """FULL: the route. PARTIAL: a route of the matched path (another method). NONE: None."""
    allowed: tuple[str, ...] = ()
    """PARTIAL: the methods the matched path does declare."""
    base_path: str = ""
    """The prefix removed from the URL to match it (an API Gateway stage, a mount path)."""


NO_MATCH = MatchResult(Match.NONE)


@dataclass(slots=True)
class _Node:
    static: dict[str, _Node] = field(default_factory=dict)
    patterns: dict[str, _Node] = field(default_factory=dict)
    compiled: list[tuple[re.Pattern[str], _Node]] = field(default_factory=list)
    param: _Node | None = None
    routes: Methods = field(default_factory=dict)
    catch_all: Methods = field(default_factory=dict)

    def child(self, segment: Param | Static) -> _Node:
        """The child for a segment, created on first use."""
        if isinstance(segment, Static):
            return self.static.setdefault(segment.text, _Node())
        if segment.pattern is None:
            self.param = self.param or _Node()
            return self.param
        if segment.pattern not in self.patterns:
            self.patterns[segment.pattern] = node = _Node()
            self.compiled.append((re.compile(segment.pattern), node))
        return self.patterns[segment.pattern]


class Matcher:
    """Routes compiled into a segment trie; look up observed requests."""

    def __init__(self, routes: Iterable[Route], base_paths: Iterable[str] = ()) -> None:
        self._root = _Node()
        self.routes = tuple(routes)
        for route in self.routes:
            self._insert(route)
        self.base_paths = tuple(p for p in (path_segments(b) for b in base_paths) if p)

    def with_base_paths(self, base_paths: Iterable[str]) -> Matcher:
        """The same compiled routes, also trying URLs with one of `base_paths` removed."""
        copy = object.__new__(Matcher)
        copy._root, copy.routes = self._root, self.routes
        copy.base_paths = tuple(p for p in (path_segments(b) for b in base_paths) if p)
        return copy

    def _insert(self, route: Route) -> None:
        node = self._root
        segments = _checked(parse_template(route.path))
        for segment in segments:
            if isinstance(segment, CatchAll):
                node.catch_all.setdefault(route.method.upper(), route)
                return
            node = node.child(segment)
        node.routes.setdefault(route.method.upper(), route)

    def lookup(self, method: str | None, url: str) -> MatchResult:
        """Match one request; a configured base path is tried when the URL as given fails."""
        wanted = (method or ANY_METHOD).upper()
        segments = path_segments(url)
        found = self.lookup_segments(wanted, segments)
        if found.match is not Match.NONE:
            return found
        for base in self.base_paths:
            if segments[: len(base)] == base:
                found = self.lookup_segments(wanted, segments[len(base) :])
                if found.match is not Match.NONE:
                    return replace(found, base_path="/" + "/".join(base))
        return NO_MATCH

    def lookup_segments(self, method: str, segments: Sequence[str]) -> MatchResult:
        """Match decoded path segments with an upper-case method, no base path."""
        partial: list[Methods] = []
        route = _walk(self._root, segments, 0, method, partial)
        if route is not None:
            return MatchResult(Match.FULL, route)
        if partial:
            allowed = tuple(sorted(partial[0]))
            return MatchResult(Match.PARTIAL, partial[0][allowed[0]], allowed)
        return NO_MATCH


def _checked(segments: tuple[Segment, ...]) -> tuple[Segment, ...]:
    """Segments whose regexes compile; a constraint that does not is read as a plain parameter."""
    checked: list[Segment] = []
    for segment in segments:
        if isinstance(segment, Param) and segment.pattern is not None:
            try:
                re.compile(segment.pattern)
            except re.error:
                segment = Param()
        checked.append(segment)
    return tuple(checked)


def _walk(
    node: _Node, segments: Sequence[str], at: int, method: str, partial: list[Methods]
) -> Route | None:
    """Depth-first, most specific child first; the first FULL match wins."""
    if at == len(segments):
        return _pick(node.routes, method, partial) or _pick(node.catch_all, method, partial)
    segment = segments[at]
    child = node.static.get(segment)
    if child is not None and (found := _walk(child, segments, at + 1, method, partial)):
        return found
    for regex, child in node.compiled:
        if regex.fullmatch(segment) and (found := _walk(child, segments, at + 1, method, partial)):
            return found
    if node.param is not None and (found := _walk(node.param, segments, at + 1, method, partial)):
        return found
    return _pick(node.catch_all, method, partial)


def _pick(routes: Methods, method: str, partial: list[Methods]) -> Route | None:
    """The route answering `method` among one path's routes; remembers a PARTIAL otherwise."""
    if not routes:
        return None
    found = routes.get(method)
    if found is None and method == "HEAD":
        found = routes.get("GET")
    if found is None:
        found = routes.get(ANY_METHOD)
    if found is None and method == ANY_METHOD:
        found = routes.get("GET") or routes[min(routes)]
    if found is None and not partial:
        partial.append(routes)
    return found
