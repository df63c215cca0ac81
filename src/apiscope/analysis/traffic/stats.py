"""Per-endpoint traffic statistics: counts, error classes and a latency sketch, all mergeable.

Worker processes each fill a `Tally` for a part of a log; the parent merges them. Nothing here
grows with the number of log lines: one `EndpointStats` per endpoint, each with a bounded sketch.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from apiscope.analysis.traffic.sketch import LatencySketch

MAX_EXAMPLES = 5
"""Malformed lines quoted in a report: enough to see the pattern, short enough to read."""
MAX_EXAMPLE_CHARS = 200


@dataclass(slots=True)
class EndpointStats:
    """What the log says about one endpoint (method + path template)."""

    method: str
    path: str
    requests: int = 0
    server_errors: int = 0
    """Responses 500-599: the endpoint failed."""
    client_errors: int = 0
    """Responses 400-499: counted apart, since callers cause most of them."""
    total_ms: float = 0.0
    sketch: LatencySketch = field(default_factory=LatencySketch)

    def add(self, status: int, times: int) -> None:
        """Count `times` responses with `status`."""
        self.requests += times
        if status >= 500:
            self.server_errors += times
        elif status >= 400:
            self.client_errors += times

    def add_duration(self, ms: float, bucket: int, times: int) -> None:
        """Record `times` durations of `ms` already mapped to their sketch `bucket`."""
        self.total_ms += ms * times
        buckets = self.sketch.buckets  # `LatencySketch.add_bucket` inlined: the hottest line
        buckets[bucket] = buckets.get(bucket, 0) + times
        self.sketch.count += times

    def merge(self, other: EndpointStats) -> None:
        """Add another part's counts for the same endpoint."""
        self.requests += other.requests
        self.server_errors += other.server_errors
        self.client_errors += other.client_errors
        self.total_ms += other.total_ms
        self.sketch.merge(other.sketch)

    def to_worst_api(self) -> dict[str, object]:
        """The contract's worst-API object, with the log-only extras beside it."""
        p50, p95, p99 = self.sketch.quantiles((0.50, 0.95, 0.99))
        timed = self.sketch.count
        data: dict[str, object] = {
            "method": self.method,
            "path": self.path,
            "requests": self.requests,
            "error_rate": _ratio(self.server_errors, self.requests),
            "client_error_rate": _ratio(self.client_errors, self.requests),
            "p50_ms": _ms(p50),
            "p95_ms": _ms(p95),
            "p99_ms": _ms(p99),
            "avg_ms": _ms(self.total_ms / timed) if timed else None,
            "total_ms": _ms(self.total_ms) if timed else None,
        }
        return {k: v for k, v in data.items() if v is not None}


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 6) if whole else 0.0


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


@dataclass(frozen=True, slots=True)
class Malformed:
    """A log line that could not be read, quoted (shortened) with its 1-based line number."""

    line: int
    text: str

    @classmethod
    def of(cls, line: int, raw: bytes) -> Malformed:
        """Quote a raw line, shortened and decoded leniently."""
        text = raw.decode("utf-8", "replace").rstrip("\r\n")
        if len(text) > MAX_EXAMPLE_CHARS:
            text = text[:MAX_EXAMPLE_CHARS] + "…"
        return cls(line, text)


@dataclass(slots=True)
class Tally:
    """Everything learned from one part of a log; parts merge in any order."""

    endpoints: dict[tuple[str, str], EndpointStats] = field(default_factory=dict)
    lines: int = 0
    malformed: int = 0
    examples: list[Malformed] = field(default_factory=list)

    def endpoint(self, method: str, path: str) -> EndpointStats:
        """The stats of one endpoint, created on first sight."""
        key = (method, path)
        found = self.endpoints.get(key)
        if found is None:
            found = self.endpoints[key] = EndpointStats(method, path)
        return found

    def reject(self, line: int, raw: bytes) -> None:
        """Count a malformed line, keeping the first few as examples."""
        self.malformed += 1
        if len(self.examples) < MAX_EXAMPLES:
            self.examples.append(Malformed.of(line, raw))

    def merge(self, other: Tally) -> None:
        """Add another part's tally into this one."""
        for key, stats in other.endpoints.items():
            mine = self.endpoints.get(key)
            if mine is None:
                self.endpoints[key] = stats
            else:
                mine.merge(stats)
        self.lines += other.lines
        self.malformed += other.malformed
        self.examples = sorted(self.examples + other.examples, key=lambda m: m.line)
        self.examples = self.examples[:MAX_EXAMPLES]
