"""The soak's clients: each one, on its own keep-alive connection and with its own API key, does
what a user of the API does: submit a job, follow it until it ends (with `GET /status`, sending
the last ETag as a well-behaved poller does, or, for one client in four, as the web page does,
over Server-Sent Events), now and then list its jobs, and now and then check
that another key cannot see the job (404). Every request's latency is recorded by the minute."""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from bench.load import Answer, Connection, Request

FINAL = frozenset({"completed", "failed", "cancelled"})
UNAVAILABLE = 503
"""The store is briefly away: counted as an error, and asked again, as a client would."""
POLL_AFTER_UNAVAILABLE = 1.0
EXAMPLES = 10
"""Error answers kept word for word, to say what went wrong without keeping them all."""


@dataclass(frozen=True, slots=True)
class Workload:
    """What every client does, and how often."""

    keys: tuple[str, ...]
    job_seconds: float = 1.0
    """How long each `slow-progress` job runs; it reports progress five times."""
    poll_interval: float = 0.25
    demo_share: float = 0.02
    """The share of submissions that analyse the bundled demo (`POST /demo`): real analyses."""
    list_every: int = 10
    isolation_every: int = 10
    events_every: int = 4
    """One client in this many follows its jobs over Server-Sent Events instead of polling."""

    def submission(self, rng: random.Random, auth: dict[str, str]) -> Request:
        """The next job to submit: mostly a short job with progress, sometimes a demo analysis."""
        if rng.random() < self.demo_share:
            return Request.build("POST", "/demo", None, auth)
        params = {"seconds": self.job_seconds, "interval": self.job_seconds / 5}
        return Request.build("POST", "/jobs/slow-progress", params, auth)


@dataclass
class Recorder:
    """Latencies by operation, each with the second (since the start) it was sent in; errors
    counted by operation with a few examples; each job's final status."""

    started: float
    latencies: dict[str, list[tuple[float, float]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    errors: Counter[str] = field(default_factory=Counter)
    error_times: list[float] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    outcomes: dict[str, str] = field(default_factory=dict)
    """Job id → its last seen status; a job submitted but never seen final stays non-final."""

    async def call(self, conn: Connection, op: str, request: Request, *expect: int) -> Answer:
        """Send `request`, record its latency under `op`, and count an unexpected status."""
        sent = time.perf_counter()
        answer = await conn.exchange(request)
        self.latencies[op].append((sent - self.started, time.perf_counter() - sent))
        if answer.status not in expect:
            self.errors[op] += 1
            self.error_times.append(sent - self.started)
            if len(self.examples) < EXAMPLES:
                detail = answer.body[:200].decode(errors="replace")
                self.examples.append(f"{request.method} {request.path}: {answer.status} {detail}")
        return answer


async def client(
    index: int, conn: Connection, workload: Workload, recorder: Recorder, deadline: float
) -> None:
    """Submit and follow jobs until `deadline` (perf_counter), finishing the job in hand."""
    rng = random.Random(index)
    key = workload.keys[index % len(workload.keys)]
    other = workload.keys[(index + 1) % len(workload.keys)]
    auth = {"Authorization": f"Bearer {key}"}
    rounds = 0
    await asyncio.sleep(rng.uniform(0, 4 * workload.poll_interval))  # no lockstep start
    while time.perf_counter() < deadline:
        rounds += 1
        answer = await recorder.call(conn, "submit", workload.submission(rng, auth), 202)
        if answer.status != 202:
            await asyncio.sleep(workload.poll_interval)
            continue
        job_id = json.loads(answer.body)["job_id"]
        recorder.outcomes[job_id] = "submitted"
        if index % workload.events_every == 0:
            await watch(conn, job_id, auth, recorder)
        else:
            await follow(conn, job_id, auth, workload.poll_interval, recorder)
        if rounds % workload.list_every == 0:
            await recorder.call(
                conn, "list", Request.build("GET", "/jobs?limit=20", None, auth), 200
            )
        if len(workload.keys) > 1 and rounds % workload.isolation_every == 0:
            foreign = {"Authorization": f"Bearer {other}"}
            await recorder.call(conn, "isolation", _status(job_id, foreign), 404)


async def follow(
    conn: Connection, job_id: str, auth: dict[str, str], interval: float, recorder: Recorder
) -> None:
    """Poll the job's status until it is final, revalidating with its ETag (304: unchanged)."""
    etag: bytes | None = None
    while recorder.outcomes[job_id] not in FINAL:
        await asyncio.sleep(interval)
        headers = auth if etag is None else {**auth, "If-None-Match": etag.decode()}
        answer = await recorder.call(conn, "status", _status(job_id, headers), 200, 304)
        if answer.status == 200:
            etag = answer.headers.get(b"etag")
            recorder.outcomes[job_id] = json.loads(answer.body)["status"]
        elif answer.status not in (304, UNAVAILABLE):
            return  # counted as an error; the job stays unfinished in the account


async def watch(conn: Connection, job_id: str, auth: dict[str, str], recorder: Recorder) -> None:
    """Follow the job over Server-Sent Events until the server ends the stream after its final
    state; the op's "latency" is the stream's whole life."""
    request = Request.build("GET", f"/jobs/{job_id}/events", None, auth)
    answer = await recorder.call(conn, "events", request, 200)
    data = [line for line in answer.body.splitlines() if line.startswith(b"data:")]
    if answer.status == 200 and data:
        recorder.outcomes[job_id] = json.loads(data[-1].removeprefix(b"data:"))["status"]
    if answer.status == UNAVAILABLE:
        await follow(conn, job_id, auth, POLL_AFTER_UNAVAILABLE, recorder)


def _status(job_id: str, headers: dict[str, str]) -> Request:
    return Request.build("GET", f"/status/{job_id}", None, headers)
