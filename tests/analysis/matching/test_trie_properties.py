"""The trie against a brute-force reference: every route tried, the most specific kept."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from apiscope.analysis.matching import Match, Matcher
from apiscope.analysis.routes import ANY_METHOD, Route
from tests.analysis.matching.conftest import route

STATIC, PATTERN, PARAM, CATCH_ALL = 0, 1, 2, 3
SEGMENTS = {"a": STATIC, "b": STATIC, "1": STATIC, "{n:int}": PATTERN, "{p}": PARAM}
segment = st.sampled_from(sorted(SEGMENTS))
template = st.builds(
    lambda segs, tail: "/" + "/".join(segs + (["{rest:path}"] if tail else [])),
    st.lists(segment, max_size=3),
    st.booleans(),
)
routes = st.lists(
    st.builds(route, st.sampled_from(["GET", "POST", ANY_METHOD]), template), max_size=12
)
url = st.lists(st.sampled_from(["a", "b", "1", "22", "x"]), max_size=4).map(
    lambda s: "/" + "/".join(s)
)
method = st.sampled_from(["GET", "POST", "HEAD", "PUT", ANY_METHOD])


def kinds(path: str) -> tuple[int, ...]:
    parts = [p for p in path.split("/") if p]
    return tuple(CATCH_ALL if p == "{rest:path}" else SEGMENTS[p] for p in parts)


def path_matches(path: str, segs: list[str]) -> bool:
    parts = [p for p in path.split("/") if p]
    if parts and parts[-1] == "{rest:path}":
        parts = parts[:-1]
        return len(segs) >= len(parts) and all(map(seg_matches, parts, segs))
    return len(segs) == len(parts) and all(map(seg_matches, parts, segs))


def seg_matches(part: str, seg: str) -> bool:
    kind = SEGMENTS[part]
    if kind == STATIC:
        return part == seg
    return kind == PARAM or re.fullmatch(r"-?\d+", seg) is not None


def pick(methods: dict[str, Route], wanted: str) -> Route | None:
    found = methods.get(wanted)
    if found is None and wanted == "HEAD":
        found = methods.get("GET")
    if found is None:
        found = methods.get(ANY_METHOD)
    if found is None and wanted == ANY_METHOD:
        found = methods.get("GET") or methods[min(methods)]
    return found


def reference(declared: list[Route], wanted: str, target: str) -> tuple[Match, Route | None]:
    """Group matching routes by specificity, most specific first, and pick like a router."""
    segs = [s for s in target.split("/") if s]
    groups: dict[tuple[int, ...], dict[str, Route]] = {}
    for r in declared:
        if path_matches(r.path, segs):
            groups.setdefault(kinds(r.path), {}).setdefault(r.method, r)
    for key in sorted(groups):
        found = pick(groups[key], wanted)
        if found is not None:
            return Match.FULL, found
    if groups:
        first = groups[min(groups)]
        return Match.PARTIAL, first[min(first)]
    return Match.NONE, None


@settings(max_examples=400, deadline=None)
@given(routes, method, url)
def test_trie_agrees_with_brute_force(declared: list[Route], wanted: str, target: str) -> None:
    """For any routes and request, the trie picks what trying every route would pick."""
    found = Matcher(declared).lookup(wanted, target)
    assert (found.match, found.route) == reference(declared, wanted, target)
