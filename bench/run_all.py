"""`make bench` (`python -m bench.run_all` from the repository root): every benchmark in turn,
one Markdown table on stdout, and the same numbers in `bench/results/latest.json`."""

from __future__ import annotations

import asyncio
import datetime
import json
import os
import platform
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bench import discovery, matching, responsiveness, submit, throughput
from bench.results import Row, markdown

RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"
BENCHMARKS: dict[str, Callable[[], Awaitable[list[Row]]]] = {
    submit.NAME: submit.run,
    responsiveness.NAME: responsiveness.run,
    throughput.NAME: throughput.run,
    discovery.NAME: discovery.run,
    matching.NAME: matching.run,
}


async def run_all() -> tuple[list[Row], dict[str, Any]]:
    """Run each benchmark with its defaults; all rows, and the report for `latest.json`."""
    rows: list[Row] = []
    report: dict[str, Any] = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "benchmarks": {},
    }
    for name, bench in BENCHMARKS.items():
        print(f"running {name} ...", file=sys.stderr, flush=True)
        started = time.perf_counter()
        found = await bench()
        took = time.perf_counter() - started
        print(f"  {name} took {took:.0f} s", file=sys.stderr, flush=True)
        report["benchmarks"][name] = {
            "seconds": round(took, 1),
            "rows": [r.to_json() for r in found],
        }
        rows += found
    return rows, report


def main() -> None:
    """Run everything, print the table, write the JSON."""
    rows, report = asyncio.run(run_all())
    print(markdown(rows))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten to {RESULTS}")


if __name__ == "__main__":
    main()
