"""Route templates split into typed segments, the units the matching trie is built from.

Discovery writes parameters as `{name}`; where a framework declared more, the template may say
so and matching honours it: a type (`{id:int}`, `{id:uuid}`), a regex (`{id:\\d+}`), a catch-all
(`{rest:path}`, `{rest...}`, `{*rest}`, `{**rest}`, a final `*` or `*rest`), or a segment mixing
text and parameters (`{name}.json`, `v{version}`). A trailing slash is ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PARAM = re.compile(r"\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}")
"""One `{...}` parameter; regex constraints may themselves hold `{m,n}`."""
_NAME = re.compile(r"[*+]{0,2}([A-Za-z_][A-Za-z0-9_]*)")

TYPES: dict[str, str] = {
    "int": r"-?\d+",
    "long": r"-?\d+",
    "integer": r"-?\d+",
    "float": r"-?\d+(?:\.\d+)?",
    "double": r"-?\d+(?:\.\d+)?",
    "decimal": r"-?\d+(?:\.\d+)?",
    "uuid": r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}",
    "guid": r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}",
    "bool": r"(?i:true|false)",
    "alpha": r"[A-Za-z]+",
}
"""Typed parameters of Starlette, Flask/Werkzeug, ASP.NET and Go routers, as segment regexes."""
_ANY_TYPES = frozenset({"str", "string", "slug", "any", "default"})
_CATCH_ALL_TYPES = frozenset({"path", ".*", ".+", ".*?", ".+?", "**"})


@dataclass(frozen=True, slots=True)
class Static:
    """A literal segment, compared exactly (after the request's percent-decoding)."""

    text: str


@dataclass(frozen=True, slots=True)
class Param:
    """A whole-segment parameter; `pattern` is None when any non-empty segment matches."""

    pattern: str | None = None


@dataclass(frozen=True, slots=True)
class CatchAll:
    """The rest of the path, zero or more segments; only ever last."""


Segment = Static | Param | CatchAll


def parse_template(path: str) -> tuple[Segment, ...]:
    """The segments of a route template; a catch-all anywhere but last is read as a parameter."""
    parts = [p for p in path.strip("/").split("/") if p]
    segments = [_segment(part, last=i == len(parts) - 1) for i, part in enumerate(parts)]
    return tuple(segments)


def _segment(part: str, *, last: bool) -> Segment:
    if last and (part == "*" or (part.startswith("*") and _NAME.fullmatch(part))):
        return CatchAll()
    found = list(_PARAM.finditer(part))
    if not found:
        return Static(part)
    if len(found) == 1 and found[0].group(0) == part:
        return _whole_param(found[0].group(1), last=last)
    return Param(_mixed_pattern(part, found))


def _whole_param(spec: str, *, last: bool) -> Segment:
    kind = _kind(spec)
    if kind == "catch-all":
        return CatchAll() if last else Param()
    return Param(kind)


def _kind(spec: str) -> str | None:
    """`catch-all`, a segment regex, or None for an unconstrained parameter."""
    if spec.startswith("*") or spec.endswith("...") or spec.startswith("+"):
        return "catch-all"
    _, sep, constraint = spec.partition(":")
    if not sep or not constraint:
        return None
    constraint = constraint.split(":")[0] if constraint[0].isalpha() else constraint
    if constraint in _CATCH_ALL_TYPES:
        return "catch-all"
    if constraint in TYPES:
        return TYPES[constraint]
    return None if constraint in _ANY_TYPES or constraint.isidentifier() else constraint


def _mixed_pattern(part: str, found: list[re.Match[str]]) -> str:
    """A segment like `{name}.json` as one regex: text escaped, parameters as their patterns."""
    pieces: list[str] = []
    cursor = 0
    for match in found:
        pieces.append(re.escape(part[cursor : match.start()]))
        kind = _kind(match.group(1))
        pieces.append(f"(?:{kind})" if kind and kind != "catch-all" else "[^/]+?")
        cursor = match.end()
    pieces.append(re.escape(part[cursor:]))
    return "".join(pieces)
