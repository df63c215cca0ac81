"""JSON Lines access logs (one object per line), including API Gateway access logs.

Field names differ by tool, so each role (method, path, status, duration) has a list of
candidate names, first found wins; a dotted name reaches into nested objects (`http.request.method`
in Elastic Common Schema) or matches a flat key spelled with dots. A `request` field holding
`"GET /path HTTP/1.1"` (nginx `escape=json` logs) gives method and path at once. `JsonFields`
with names of your own puts them first.

API Gateway access logs are whatever JSON the stage's `$context` template says; `APIGW_FIELDS`
knows the names of AWS's documented examples. Its `routeKey` (`GET /pets/{petId}`) is the route
template itself, so such a log groups precisely even without the code, except for a greedy
`{proxy+}` route, where the real path is kept for matching against the code behind it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

from apiscope.analysis.traffic.formats.base import Cell, Columns
from apiscope.analysis.traffic.stats import Tally

UNITS_MS = {"s": 1000.0, "ms": 1.0, "us": 1e-3, "ns": 1e-6}
Row = tuple[str, str, Cell, float | None]


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _timed(text: str) -> tuple[tuple[str, str], ...]:
    """`name:unit name:unit` as pairs."""
    return tuple((name, unit) for name, _, unit in (pair.partition(":") for pair in text.split()))


@dataclass(frozen=True, slots=True)
class JsonFields:
    """Candidate field names per role; durations name their unit."""

    method: tuple[str, ...] = _names(
        "method http_method httpMethod request_method requestMethod verb http.request.method "
        "request.method req.method http.method"
    )
    path: tuple[str, ...] = _names(
        "path uri url request_uri requestUri request_path url.path url.original req.url "
        "request.url request.path http.url http.target"
    )
    status: tuple[str, ...] = _names(
        "status status_code statusCode http_status httpStatus response_status "
        "http.response.status_code res.statusCode response.status http.status_code"
    )
    duration: tuple[tuple[str, str], ...] = _timed(
        "duration_ms:ms durationMs:ms latency_ms:ms elapsed_ms:ms response_time_ms:ms "
        "responseTime:ms took_ms:ms request_time:s duration:ms event.duration:ns"
    )
    request: tuple[str, ...] = ("request",)
    route: tuple[str, ...] = ()
    """Fields holding a route key, `GET /pets/{id}`: the endpoint template as the gateway saw it."""

    def preferring(self, names: dict[str, str], unit: str = "ms") -> JsonFields:
        """These candidates with the given role → field names tried first."""
        changes: dict[str, Any] = {}
        for role, name in names.items():
            current = getattr(self, role)
            changes[role] = ((name, unit), *current) if role == "duration" else (name, *current)
        return replace(self, **changes)


APIGW_FIELDS = JsonFields(
    method=_names("httpMethod http_method method"),
    path=_names("resourcePath path requestPath resource_path"),
    status=_names("status statusCode status_code"),
    duration=_timed(
        "responseLatency:ms integrationLatency:ms latency:ms integration.latency:ms "
        "responseLatencyMs:ms"
    ),
    request=(),
    route=_names("routeKey route_key"),
)


@dataclass(frozen=True, slots=True)
class JsonLinesFormat:
    """One JSON object per line; `fields` say where method, path, status and duration are."""

    fields: JsonFields = field(default_factory=JsonFields)
    name: str = "json"

    def columns(self, block: bytes, first_line: int, tally: Tally) -> Columns:
        """Methods, paths, statuses and durations (already in ms) of every readable line."""
        rows: list[Row] = []
        for offset, line in enumerate(block.split(b"\n")):
            if not line.strip():
                continue
            tally.lines += 1
            row = self.row(line)
            if row is None:
                tally.reject(first_line + offset, line)
            else:
                rows.append(row)
        if not rows:
            return (), (), (), ()
        methods, paths, statuses, durations = zip(*rows, strict=True)
        return methods, paths, statuses, durations

    def row(self, line: bytes) -> Row | None:
        """(method, path, status, ms) of one line, or None if it is not a request record."""
        try:
            record = json.loads(line)
        except ValueError:
            return None
        return self.record_row(record) if isinstance(record, dict) else None

    def record_row(self, record: dict[str, Any]) -> Row | None:
        """(method, path, status, ms) of one parsed record, or None without a path."""
        method, path = _route(record, self.fields.route) or _endpoint(record, self.fields)
        if not path:
            return None
        status = _first(record, self.fields.status)
        return method.upper(), path, status, _duration(record, self.fields.duration)

    def to_ms(self, raw: object) -> float | None:
        """Durations are converted while reading lines."""
        return raw if isinstance(raw, float) else None

    def sniff(self, line: bytes) -> bool:
        """Whether the line is a JSON object this format can read a request from."""
        return self.row(line) is not None


def _endpoint(record: dict[str, Any], fields: JsonFields) -> tuple[str, str]:
    method, path = _first(record, fields.method), _first(record, fields.path)
    if not isinstance(path, str):
        request = _first(record, fields.request)
        if isinstance(request, str) and request.count(" ") >= 1:
            method, path = request.split(" ")[:2]
    return (method if isinstance(method, str) else ""), (path if isinstance(path, str) else "")


def _route(record: dict[str, Any], names: tuple[str, ...]) -> tuple[str, str] | None:
    """(method, template) of a route key, unless it is `$default` or greedy (`{proxy+}`)."""
    key = _first(record, names)
    if not isinstance(key, str) or " " not in key or "+}" in key:
        return None
    method, _, template = key.partition(" ")
    if method == "ANY":
        actual = _first(record, ("httpMethod",))
        method = actual if isinstance(actual, str) else method
    return method, template


def _duration(record: dict[str, Any], names: tuple[tuple[str, str], ...]) -> float | None:
    for name, unit in names:
        value = _lookup(record, name)
        if isinstance(value, (int, float, str)) and not isinstance(value, bool):
            try:
                return float(value) * UNITS_MS[unit]
            except ValueError:
                continue
    return None


def _first(record: dict[str, Any], names: tuple[str, ...]) -> str | int | float | None:
    """The first candidate holding a scalar (ECS's `url` is an object: `url.path` is wanted)."""
    for name in names:
        value = _lookup(record, name)
        if isinstance(value, (str, int, float)) and value not in ("", "-"):
            return value
    return None


def _lookup(record: dict[str, Any], name: str) -> Any:
    """A flat key, or a dotted path into nested objects."""
    if name in record:
        return record[name]
    value: Any = record
    for part in name.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value
