"""Detecting a base path that the URLs carry and the code does not declare.

API Gateway REST APIs log `/prod/users/42` for the code's `/users/{id}`; an app mounted under
`/billing` by a reverse proxy logs `/billing/invoices/7` for `/invoices/{id}`. Rather than make
every user configure that, look at the batch: when many URLs match nothing as given, but match
once a common leading segment (or two) is removed, that prefix is a base path. A prefix must
rescue at least half of the unmatched URLs that carry it and at least `MIN_RESCUED` of them, so
one stray URL does not make `/v2` a "stage".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from apiscope.analysis.matching.trie import Match, Matcher
from apiscope.analysis.matching.urls import path_segments
from apiscope.analysis.routes import ANY_METHOD

MIN_RESCUED = 2
MAX_DEPTH = 2
"""Base paths of one or two segments: `/prod`, `/api/v1`."""
MAX_CANDIDATES = 5
SAMPLE = 10_000


def detect_base_paths(matcher: Matcher, urls: Iterable[str]) -> tuple[str, ...]:
    """Base paths (like `/prod`) that make otherwise unmatched URLs match; best first."""
    unmatched = _unmatched(matcher, urls)
    found: list[str] = []
    for depth in range(1, MAX_DEPTH + 1):
        counts = Counter(segs[:depth] for segs in unmatched if len(segs) > depth)
        for prefix, carrying in counts.most_common(MAX_CANDIDATES):
            rescued = _rescued(matcher, unmatched, prefix)
            if rescued >= MIN_RESCUED and 2 * rescued >= carrying:
                found.append("/" + "/".join(prefix))
        if found:
            return tuple(found)
    return ()


def _unmatched(matcher: Matcher, urls: Iterable[str]) -> list[tuple[str, ...]]:
    unmatched: list[tuple[str, ...]] = []
    for index, url in enumerate(urls):
        if index >= SAMPLE:
            break
        segments = path_segments(url)
        if matcher.lookup_segments(ANY_METHOD, segments).match is Match.NONE:
            unmatched.append(segments)
    return unmatched


def _rescued(matcher: Matcher, unmatched: list[tuple[str, ...]], prefix: tuple[str, ...]) -> int:
    """How many unmatched URLs starting with `prefix` match once it is removed."""
    rest = (segs[len(prefix) :] for segs in unmatched if segs[: len(prefix)] == prefix)
    return sum(matcher.lookup_segments(ANY_METHOD, segs).match is not Match.NONE for segs in rest)
