"""Submission cost: `POST /jobs/noop` against `POST /baseline`, a plain FastAPI endpoint with
the same JSON body and the same 202 answer, served by the same process and event loop.

The difference is what making an endpoint a job costs per request: parameter validation, a
durable SQLite insert on the store's writer thread, and (since `apiscope serve` runs its own
jobs) claiming and completing each job on the same loop while requests keep arriving. Rounds go
A B B A A B ... so drift on a noisy machine hits both sides alike. After each job round the
server runs what it accepted before the next round starts, so no round pays for another's work;
that drain time is reported in an end-to-end row.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from bench.load import Request, Sample, connections, drive
from bench.results import Row, markdown
from bench.server import drain, running_server

NAME = "submit"
WARMUP = 200
REQUESTS = {
    "jobs": Request.build("POST", "/jobs/noop", {}),
    "baseline": Request.build("POST", "/baseline", {}),
}


def _order(rounds: int) -> list[str]:
    """A B, B A, A B, ...: each side goes first equally often."""
    pairs = [("jobs", "baseline") if i % 2 == 0 else ("baseline", "jobs") for i in range(rounds)]
    return [side for pair in pairs for side in pair]


async def run(requests: int = 4000, concurrency: int = 32, rounds: int = 8) -> list[Row]:
    """`requests` to each endpoint in `rounds` alternating rounds, `concurrency` at a time."""
    samples = {side: Sample() for side in REQUESTS}
    drained = 0.0
    with tempfile.TemporaryDirectory(prefix="apiscope-bench-") as tmp:
        async with (
            running_server(Path(tmp)) as server,
            server.control() as http,
            connections(server.host, server.port, concurrency) as conns,
        ):
            for request in REQUESTS.values():  # warm connections, code paths and SQLite pages
                await drive(conns, request, expect=202, total=WARMUP)
            await drain(http)
            for side in _order(rounds):
                sample = await drive(conns, REQUESTS[side], expect=202, total=requests // rounds)
                samples[side].extend(sample)
                if side == "jobs":
                    drained += await drain(http)
    return _rows(samples["jobs"], samples["baseline"], drained, concurrency)


def _rows(jobs: Sample, baseline: Sample, drained: float, concurrency: int) -> list[Row]:
    load = f"{len(jobs.latencies)} requests each, {concurrency} concurrent"
    end_to_end = len(jobs.latencies) / (jobs.elapsed + drained)
    return [
        Row(NAME, "throughput: POST /jobs/noop vs POST /baseline", jobs.rate, baseline.rate,
            "req/s", True, load),
        Row(NAME, "p50 latency: POST /jobs/noop vs POST /baseline", jobs.ms(50), baseline.ms(50),
            "ms", False, load),
        Row(NAME, "p99 latency: POST /jobs/noop vs POST /baseline", jobs.ms(99), baseline.ms(99),
            "ms", False, load),
        Row(NAME, "noop jobs accepted and run to completion vs POST /baseline", end_to_end,
            baseline.rate, "req/s", True,
            f"job rounds plus {drained:.2f} s until the server had run every job"),
    ]  # fmt: skip


def main() -> None:
    """`python -m bench.submit`: run this benchmark alone."""
    print(markdown(asyncio.run(run())))


if __name__ == "__main__":
    main()
