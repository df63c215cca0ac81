"""AWS Application Load Balancer access logs.

    https 2026-10-10T13:55:36.123456Z app/my-alb/50dc6c495c0c9188 10.0.0.1:2817 10.0.1.5:80
    0.000 0.042 0.000 200 200 34 366 "GET https://api.example.com:443/users/42?x=1 HTTP/1.1" ...

(one line in the file.) The duration is the sum of request_processing_time,
target_processing_time and response_processing_time, in seconds; the load balancer writes -1 in
them when it could not reach a target or the client hung up, and such a request has no duration.
The status is the load balancer's (`elb_status_code`): what the client saw.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from apiscope.analysis.traffic.formats.base import Columns, lenient, regex_columns
from apiscope.analysis.traffic.stats import Tally

PATTERN = re.compile(
    rb"^(?:https?|h2|grpcs?|wss?) [0-9T:.Z-]+ [^ \n]+ [^ \n]+ [^ \n]+ "  # type, time, elb, ports
    rb"(-1|[0-9.]+) (-1|[0-9.]+) (-1|[0-9.]+) "  # the three processing times
    rb"(\d{3}|-) [^ \n]+ [^ \n]+ [^ \n]+ "  # elb status, target status, bytes in, bytes out
    rb'"([A-Z]+) (?:[a-z]+://[^/ "\n]*)?([^ "\n?#]*)[^"\n]*"'  # "METHOD url PROTO"
    rb"[^\n]*$",
    re.MULTILINE,
)
_LENIENT = lenient(PATTERN)


@dataclass(frozen=True, slots=True)
class AlbFormat:
    """AWS ALB access logs (one request per line, space-separated, quoted fields)."""

    name: str = "alb"

    def columns(self, block: bytes, first_line: int, tally: Tally) -> Columns:
        """Methods, paths, statuses and the three processing times of every readable line."""
        columns = regex_columns(_LENIENT, block, first_line, tally)
        if not columns:
            return (), (), (), ()
        request, target, response, statuses, methods, paths = columns
        return methods, paths, statuses, list(zip(request, target, response, strict=True))

    def to_ms(self, raw: object) -> float | None:
        """The three processing times added up, in milliseconds; None if any is -1."""
        if not isinstance(raw, tuple) or b"-1" in raw:
            return None
        return sum(float(part) for part in raw) * 1000.0

    def sniff(self, line: bytes) -> bool:
        """Whether the line is an ALB access-log line."""
        return PATTERN.match(line) is not None
