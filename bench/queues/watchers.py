"""Many SSE watchers of one job from one client process: bare asyncio protocols, one per
connection, that only count the events they receive and note when the final one arrived.

An asyncio Protocol (not streams, not httpx) keeps the client's cost per event to one callback
and a byte search, so that with 10,000 connections on the same 2 cores the server, not the
client, is what gets measured.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass, field
from typing import Any

EVENT = b"event: status"
FINAL = (b'"status":"completed"', b'"status": "completed"')
CARRY = 32
"""Bytes kept from the end of one read, so a marker split between two reads is still found."""
CONNECT_BATCH = 200
"""Connections opened at once: under the server's listen backlog."""


class Watcher(asyncio.Protocol):
    """One `GET /jobs/{id}/events` stream, counted."""

    def __init__(self, request: bytes) -> None:
        self.request = request
        self.events = 0
        self.first_at: float | None = None
        self.final_at: float | None = None
        self.closed = asyncio.get_running_loop().create_future()
        self._tail = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        chunk = self._tail + data
        found = chunk.count(EVENT) - self._tail.count(EVENT)
        if found:
            self.events += found
            if self.first_at is None:
                self.first_at = time.time()
        if self.final_at is None and any(marker in chunk for marker in FINAL):
            self.final_at = time.time()
        self._tail = chunk[-CARRY:]

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.closed.done():
            self.closed.set_result(None)


@dataclass(slots=True)
class Crowd:
    """All watchers of one job."""

    watchers: list[Watcher] = field(default_factory=list)
    transports: list[asyncio.BaseTransport] = field(default_factory=list)

    def with_first_event(self) -> int:
        """How many watchers have received the job's current state."""
        return sum(w.first_at is not None for w in self.watchers)

    def finished(self) -> int:
        """How many streams the server has closed."""
        return sum(w.closed.done() for w in self.watchers)

    def close(self) -> None:
        """Drop every connection that is still open."""
        for transport in self.transports:
            transport.close()

    def summary(self, completed_at: float | None) -> dict[str, Any]:
        """Events per watcher, and how long after the job completed each learnt it."""
        events = sorted(w.events for w in self.watchers)
        finals = sorted(w.final_at for w in self.watchers if w.final_at is not None)
        delays = [t - completed_at for t in finals] if completed_at is not None else []
        return {
            "watchers": len(self.watchers),
            "got_final_event": len(finals),
            "events_min": events[0],
            "events_median": statistics.median(events),
            "events_max": events[-1],
            "final_delay_p50_s": statistics.median(delays) if delays else None,
            "final_delay_max_s": max(delays) if delays else None,
        }


async def open_crowd(host: str, port: int, job_id: str, count: int) -> Crowd:
    """Open `count` event streams of the job, `CONNECT_BATCH` connection attempts at a time."""
    loop = asyncio.get_running_loop()
    request = (
        f"GET /jobs/{job_id}/events HTTP/1.1\r\nHost: {host}:{port}\r\n"
        "Accept: text/event-stream\r\nConnection: close\r\n\r\n"
    ).encode()
    crowd = Crowd()

    async def one() -> None:
        watcher = Watcher(request)
        transport, _ = await loop.create_connection(lambda: watcher, host, port)
        crowd.watchers.append(watcher)
        crowd.transports.append(transport)

    for start in range(0, count, CONNECT_BATCH):
        await asyncio.gather(*(one() for _ in range(min(CONNECT_BATCH, count - start))))
    return crowd


async def wait_until(check: Any, target: int, timeout: float) -> bool:
    """Poll `check()` until it reaches `target`; False if `timeout` passed first."""
    deadline = time.monotonic() + timeout
    while check() < target:
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True
