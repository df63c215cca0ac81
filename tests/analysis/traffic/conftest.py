"""Log lines as the real servers write them, and files holding them."""

from __future__ import annotations

import gzip
import json
from pathlib import Path


def nginx_line(
    method: str, path: str, status: int = 200, seconds: float | None = 0.042, extra: str = ""
) -> str:
    """A combined-format line with nginx's `$request_time` (seconds, 3 decimals) at the end."""
    tail = f" {seconds:.3f}" if seconds is not None else ""
    return (
        f'203.0.113.9 - - [10/Oct/2026:13:55:36 +0000] "{method} {path} HTTP/1.1" {status} 512 '
        f'"https://example.com/" "Mozilla/5.0 (X11; Linux x86_64)"{extra}{tail}'
    )


def apache_line(method: str, path: str, status: int = 200, micros: int = 42_000) -> str:
    """Apache combined with `%D` (microseconds) at the end, a `-` byte count, an escaped quote."""
    return (
        f'203.0.113.9 - frank [10/Oct/2026:13:55:36 -0700] "{method} {path} HTTP/1.0" {status} - '
        f'"-" "Agent \\"quoted\\" 1.0" {micros}'
    )


def alb_line(
    method: str,
    url: str,
    status: int = 200,
    times: tuple[float, float, float] = (0.001, 0.040, 0.001),
) -> str:
    """An ALB access-log line, as AWS documents the format."""
    request, target, response = (f"{t:.3f}" if t >= 0 else "-1" for t in times)
    return (
        f"https 2026-10-10T13:55:36.123456Z app/my-alb/50dc6c495c0c9188 192.0.2.1:2817 "
        f"10.0.0.1:80 {request} {target} {response} {status} {status} 34 366 "
        f'"{method} {url} HTTP/1.1" "curl/8.4.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 '
        "arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc "
        f'"Root=1-58337262-36d228ad5d99923122bbe354" "api.example.com" "-" 0 '
        f'2026-10-10T13:55:36.080000Z "forward" "-" "-" "10.0.0.1:80" "{status}" "-" "-" TID_1'
    )


def apigw_line(
    method: str, path: str, status: int = 200, latency: int = 42, route_key: str | None = None
) -> str:
    """An API Gateway access-log line in AWS's documented JSON template (values as strings)."""
    record = {
        "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
        "ip": "192.0.2.1",
        "requestTime": "10/Oct/2026:13:55:36 +0000",
        "httpMethod": method,
        "path": path,
        "status": str(status),
        "protocol": "HTTP/1.1",
        "responseLength": "366",
        "responseLatency": str(latency),
    }
    if route_key is not None:
        record["routeKey"] = route_key
    return json.dumps(record)


def write_log(path: Path, lines: list[str], *, compress: bool = False) -> Path:
    """Lines joined by newlines into `path`, gzip-compressed if asked."""
    data = ("\n".join(lines) + "\n").encode()
    path.write_bytes(gzip.compress(data) if compress else data)
    return path
