"""Matching observed requests to the code's routes, and colour-coding the worst APIs.

`Matcher` compiles routes into a segment trie and answers FULL / PARTIAL / NONE per request;
`matched_apis` produces the `matched_apis` entries of an analysis result. It depends only on the
frozen `Route` record, so it is testable on plain route lists.
"""

from __future__ import annotations

from apiscope.analysis.matching.annotate import build_matcher, matched_apis, route_json
from apiscope.analysis.matching.colors import Color, ColorThresholds, Limits, grade
from apiscope.analysis.matching.prefixes import detect_base_paths
from apiscope.analysis.matching.trie import Match, Matcher, MatchResult

__all__ = [
    "Color",
    "ColorThresholds",
    "Limits",
    "Match",
    "MatchResult",
    "Matcher",
    "build_matcher",
    "detect_base_paths",
    "grade",
    "matched_apis",
    "route_json",
]
