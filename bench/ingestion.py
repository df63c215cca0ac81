"""Access-log ingestion: `read_traffic` against GoAccess on the same generated nginx log.

The log is generated into a temporary directory (never into the repository) in nginx's combined
format with `$request_time` appended, as `log_format` users add it: 240 resources, numeric ids,
hex hashes, query strings, static files, a realistic status mix, log-normal request times, and
one malformed (TLS-probe) line in 10,000. Default size 200 MB (about 1.1 million lines);
`--size-mb 1024` for the 1 GB run.

GoAccess (Debian package `goaccess`, C) is the baseline: it parses the same file with the same
request-time field. To give it its best case it builds only its requests panel
(`--ignore-panel` for every other one), writes JSON, and runs single-threaded as GoAccess 1.7
does. The benchmark installs nothing: without `goaccess` on PATH it says so and skips that side.
Both sides' request counts are compared and reported. The sides run in rotating order for three
rounds and each reports its median: on a shared machine the load of other work moves from one
minute to the next, and interleaving spreads it over both sides.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from apiscope.analysis.traffic import TrafficOptions, read_traffic
from bench.results import Row, markdown

NAME = "ingestion"
GOACCESS_FORMAT = '%h %^[%d:%t %^] "%r" %s %b "%R" "%u" %T'
OTHER_PANELS = (
    "VISITORS", "REQUESTS_STATIC", "NOT_FOUND", "HOSTS", "OS", "BROWSERS", "VISIT_TIMES",
    "VIRTUAL_HOSTS", "REFERRERS", "REFERRING_SITES", "KEYPHRASES", "STATUS_CODES",
    "REMOTE_USER", "CACHE_STATUS", "GEO_LOCATION", "MIME_TYPE", "TLS_TYPE",
)  # fmt: skip
RESOURCES = [f"{w}{n}" if n else w for n in range(10) for w in (
    "users", "orders", "products", "carts", "invoices", "payments", "shipments", "reviews",
    "coupons", "accounts", "teams", "projects", "files", "reports", "events", "tickets",
    "comments", "tags", "webhooks", "sessions", "plans", "subscriptions", "refunds", "stores",
)]  # fmt: skip
AGENTS = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "curl/8.4.0", "python-requests/2.31.0", "okhttp/4.12.0",
)  # fmt: skip
WORKERS = min(4, len(os.sched_getaffinity(0)))
STATUSES = (200,) * 80 + (201, 204, 304, 304, 400, 401, 404, 404, 404, 500, 502, 503)


def _path(rng: random.Random) -> str:
    resource, pick = rng.choice(RESOURCES), rng.random()
    if pick < 0.35:
        return f"/api/v1/{resource}/{rng.randint(1, 10**7)}"
    if pick < 0.55:
        return f"/api/v1/{resource}?page={rng.randint(1, 50)}&per_page=20"
    if pick < 0.75:
        return f"/api/v1/{resource}/{rng.randint(1, 10**7)}/items/{rng.randint(1, 999)}"
    if pick < 0.85:
        return f"/api/v2/{resource}/{rng.getrandbits(128):032x}"
    return f"/static/js/app.{rng.getrandbits(32):08x}.js"


def _line(rng: random.Random, second: int) -> str:
    if rng.random() < 0.0001:
        probe = '"\\x16\\x03\\x01" 400 0'  # a TLS handshake sent to the plain-HTTP port
        return f"198.51.100.{rng.randint(1, 254)} - - [10/Oct/2026:13:00:00 +0000] {probe}\n"
    method = "GET" if rng.random() < 0.8 else rng.choice(("POST", "PUT", "PATCH", "DELETE"))
    return (
        f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)} - - "
        f"[10/Oct/2026:{second // 3600 % 24:02d}:{second // 60 % 60:02d}:{second % 60:02d} +0000] "
        f'"{method} {_path(rng)} HTTP/1.1" {rng.choice(STATUSES)} {rng.randint(0, 50_000)} '
        f'"https://app.example.com/" "{rng.choice(AGENTS)}" {rng.lognormvariate(-3, 1.2):.3f}\n'
    )


def generate(path: Path, size_bytes: int, seed: int = 20261128) -> int:
    """Write about `size_bytes` of log to `path`; the number of lines written."""
    rng = random.Random(seed)
    lines = written = 0
    with path.open("w", encoding="ascii", buffering=1 << 20) as out:
        while written < size_bytes:
            chunk = "".join(_line(rng, (lines + i) // 200) for i in range(10_000))
            out.write(chunk)
            written += len(chunk)
            lines += 10_000
    return lines


def ours(path: Path, workers: int) -> tuple[float, int]:
    """(seconds, requests counted) for `read_traffic` on the log."""
    started = time.perf_counter()
    report = read_traffic(path, TrafficOptions(workers=workers))
    seconds = time.perf_counter() - started
    return seconds, sum(api.requests or 0 for api in report.apis)


def goaccess(path: Path, output: Path) -> tuple[float, int]:
    """(seconds, valid requests) for GoAccess on the log."""
    command = [
        "goaccess", str(path), f"--log-format={GOACCESS_FORMAT}", "--date-format=%d/%b/%Y",
        "--time-format=%T", "--no-progress", "--no-global-config", "-o", str(output),
        *(f"--ignore-panel={panel}" for panel in OTHER_PANELS),
    ]  # fmt: skip
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    seconds = time.perf_counter() - started
    general = json.loads(output.read_text())["general"]
    return seconds, int(general["valid_requests"])


def sides(log: Path) -> dict[str, Callable[[], tuple[float, int]]]:
    """What is timed: ours on every core, ours on one, and GoAccess when it is installed."""
    found: dict[str, Callable[[], tuple[float, int]]] = {
        "parallel": lambda: ours(log, WORKERS),
        "single": lambda: ours(log, 1),
    }
    if shutil.which("goaccess"):
        found["goaccess"] = lambda: goaccess(log, log.with_suffix(".goaccess.json"))
    else:
        print("  goaccess is not installed (apt-get install goaccess): baseline skipped",
              file=sys.stderr)  # fmt: skip
    return found


def timed_rounds(
    timed: dict[str, Callable[[], tuple[float, int]]], rounds: int
) -> tuple[dict[str, float], dict[str, int]]:
    """Median seconds per side over `rounds` rounds in rotating order, and requests counted."""
    seconds: dict[str, list[float]] = {name: [] for name in timed}
    counted: dict[str, int] = {}
    for round_ in range(rounds):
        names = list(timed)
        for name in names[round_ % len(names) :] + names[: round_ % len(names)]:
            took, counted[name] = timed[name]()
            seconds[name].append(took)
            print(f"  round {round_ + 1} {name}: {took:.1f} s", file=sys.stderr, flush=True)
    return {name: statistics.median(runs) for name, runs in seconds.items()}, counted


async def run(size_mb: int = 200, rounds: int = 3) -> list[Row]:
    """Generate the log, then time ours (all cores, one core) and GoAccess on it, interleaved."""
    with tempfile.TemporaryDirectory(prefix="apiscope-ingestion-") as tmp:
        log = Path(tmp) / "access.log"
        lines = generate(log, size_mb * 1024 * 1024)
        size = log.stat().st_size / 1024 / 1024
        print(f"  generated {lines:,} lines, {size:,.0f} MB", file=sys.stderr, flush=True)
        seconds, counted = timed_rounds(sides(log), rounds)
    rate = {name: lines / took for name, took in seconds.items()}
    baseline = rate.get("goaccess", 0.0)
    note = (
        f"{size:,.0f} MB nginx log, {lines:,} lines, median of {rounds} interleaved rounds; "
        f"requests counted: ours {counted['parallel']:,}, GoAccess {counted.get('goaccess', 0):,}"
    )
    return [
        Row(NAME, f"log lines/s: read_traffic ({WORKERS} worker processes) vs GoAccess 1.7",
            rate["parallel"], baseline, "lines/s", True, note),
        Row(NAME, "(informative) log lines/s: read_traffic in one process vs GoAccess 1.7",
            rate["single"], baseline, "lines/s", True, note),
    ]  # fmt: skip


def main() -> None:
    """`python -m bench.ingestion [--size-mb N]`: run this benchmark alone."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size-mb", type=int, default=200, help="size of the generated log")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds per side")
    args = parser.parse_args()
    print(markdown(asyncio.run(run(args.size_mb, args.rounds))))


if __name__ == "__main__":
    main()
