"""nginx and Apache "combined" access logs with a request-time field.

    10.0.0.1 - - [10/Oct/2026:13:55:36 +0000] "GET /users/42?x=1 HTTP/1.1" 200 51 "-" "curl" 0.042

The request time is the first field after the quoted referer and user agent (and any further
quoted fields, like nginx's `"$http_x_forwarded_for"`), optionally written `rt=0.042`. Units:
nginx's `$request_time` is seconds with a decimal point; Apache's `%D` is whole microseconds. So
with `time_unit="auto"` a number with a decimal point is seconds and a whole number is
microseconds; pass `s`, `ms` or `us` when a log says otherwise (Apache `%T` is whole seconds).
A line without the field still counts its request and status, just without a duration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from apiscope.analysis.traffic.formats.base import Columns, lenient, regex_columns
from apiscope.analysis.traffic.stats import Tally

_QUOTED = rb'"[^"\\\n]*(?:\\.[^"\\\n]*)*"'
"""A quoted field with backslash escapes, written as an unrolled loop: sre runs it 2x faster."""
PATTERN = re.compile(
    rb"^[^ \n]+ [^ \n]+ [^ \n]+ \[[^\]\n]+\] "  # host, ident, user, [time]
    rb'"([A-Z]+) (?:[a-z]+://[^/ "\n]*)?([^ "\n?#]*)[^"\n]*" '  # "METHOD path?query PROTO"
    rb"(\d{3}) [^ \n]+"  # status, bytes
    rb"(?: " + _QUOTED + rb")*"  # referer, user agent, more quoted fields
    rb"(?: (?:[a-z_]+=)?(\d+(?:\.\d+)?))?"  # the request time, if any
    rb"[^\n]*$",
    re.MULTILINE,
)
_LENIENT = lenient(PATTERN)
UNITS_MS = {"s": 1000.0, "ms": 1.0, "us": 0.001}


@dataclass(frozen=True, slots=True)
class CombinedFormat:
    """nginx/Apache combined with a request time; `time_unit` is `auto`, `s`, `ms` or `us`."""

    time_unit: str = "auto"
    name: str = "nginx"

    def __post_init__(self) -> None:
        if self.time_unit != "auto" and self.time_unit not in UNITS_MS:
            raise ValueError(f"time unit must be auto, s, ms or us, not {self.time_unit!r}")

    def columns(self, block: bytes, first_line: int, tally: Tally) -> Columns:
        """Methods, paths, statuses and raw times of every readable line."""
        columns = regex_columns(_LENIENT, block, first_line, tally)
        if not columns:
            return (), (), (), ()
        methods, paths, statuses, times = columns
        return methods, paths, statuses, times

    def to_ms(self, raw: object) -> float | None:
        """The request time in milliseconds."""
        if not isinstance(raw, bytes) or not raw:
            return None
        unit = self.time_unit
        if unit == "auto":
            unit = "s" if b"." in raw else "us"
        return float(raw) * UNITS_MS[unit]

    def sniff(self, line: bytes) -> bool:
        """Whether the line is a combined-format line."""
        return PATTERN.match(line) is not None
