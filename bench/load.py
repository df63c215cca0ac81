"""Closed-loop HTTP load over loopback: `concurrency` keep-alive connections, each sending its
next request as soon as the last one answered, until a request count or a deadline is reached.

Why not httpx for the load itself: on this 2-core machine an httpx.AsyncClient spends about 3 ms
of CPU per request (measured: ~270 req/s sequential, ~200 req/s at 32 concurrent, against a
server that answers ~2,200 req/s to a bare-socket client). The client, sharing the cores with the
server, would then be what is measured and every ratio would collapse towards 1. So the load
loops speak just enough HTTP/1.1 themselves (one request line, Content-Length bodies) to stay out
of the way; httpx still makes the benchmarks' control calls (submit, status, metrics).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from bench.results import percentile

HEADER_END = b"\r\n\r\n"


@dataclass(frozen=True, slots=True)
class Request:
    """One request, encoded once and sent many times."""

    method: str
    path: str
    wire: bytes

    @classmethod
    def build(
        cls, method: str, path: str, body: Any = None, headers: Mapping[str, str] | None = None
    ) -> Request:
        """Encode `method path` with an optional JSON body and extra headers."""
        payload = b"" if body is None else json.dumps(body).encode()
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(payload)}\r\n"
        if body is not None:
            head += "Content-Type: application/json\r\n"
        head += "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
        return cls(method, path, head.encode() + b"\r\n" + payload)


@dataclass(frozen=True, slots=True)
class Answer:
    """One response: status code, headers by lower-case name, and body."""

    status: int
    headers: dict[bytes, bytes]
    body: bytes


class Connection:
    """One keep-alive HTTP/1.1 connection to our own server (Content-Length answers only)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer

    async def send(self, request: Request) -> tuple[int, bytes]:
        """Send the request; its status code and body."""
        answer = await self.exchange(request)
        return answer.status, answer.body

    async def exchange(self, request: Request) -> Answer:
        """Send the request; its status code, headers (lower-case names) and body."""
        self._writer.write(request.wire)
        await self._writer.drain()
        head = await self._reader.readuntil(HEADER_END)
        status_line, *lines = head[: -len(HEADER_END)].split(b"\r\n")
        headers: dict[bytes, bytes] = {}
        for line in lines:
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip()
        if headers.get(b"transfer-encoding") == b"chunked":
            body = await self._read_chunks()
        else:
            body = await self._reader.readexactly(int(headers.get(b"content-length", 0)))
        return Answer(int(status_line.split(b" ", 2)[1]), headers, body)

    async def _read_chunks(self) -> bytes:
        """A chunked body to its end (a Server-Sent Events stream: until the server ends it)."""
        parts = []
        while size := int((await self._reader.readline()).split(b";")[0], 16):
            parts.append(await self._reader.readexactly(size))
            await self._reader.readexactly(2)  # the CRLF after each chunk
        await self._reader.readuntil(b"\r\n")  # the empty trailer
        return b"".join(parts)

    async def close(self) -> None:
        """Close the socket and wait until it is closed."""
        self._writer.close()
        with contextlib.suppress(ConnectionError):
            await self._writer.wait_closed()


@contextlib.asynccontextmanager
async def connections(host: str, port: int, count: int) -> AsyncIterator[list[Connection]]:
    """`count` open connections, closed on exit."""
    opened = [Connection(*await asyncio.open_connection(host, port)) for _ in range(count)]
    try:
        yield opened
    finally:
        for conn in opened:
            await conn.close()


@dataclass(slots=True)
class Sample:
    """Latencies (seconds) of requests and the wall time they took together."""

    latencies: list[float] = field(default_factory=list)
    elapsed: float = 0.0

    def extend(self, other: Sample) -> None:
        """Pool another round into this one."""
        self.latencies += other.latencies
        self.elapsed += other.elapsed

    @property
    def rate(self) -> float:
        """Requests per second over the pooled wall time."""
        return len(self.latencies) / self.elapsed

    def ms(self, pct: float) -> float:
        """A latency percentile in milliseconds."""
        return 1000 * percentile(self.latencies, pct)


async def drive(
    conns: list[Connection],
    request: Request,
    *,
    expect: int,
    total: int | None = None,
    seconds: float | None = None,
) -> Sample:
    """Send `request` on every connection until `total` were sent or `seconds` passed; any other
    status than `expect` aborts the benchmark, since a fast error would flatter the numbers."""
    if total is None and seconds is None:
        raise ValueError("give a request count, a duration, or both")
    sample = Sample()
    left = total if total is not None else -1
    started = time.perf_counter()
    deadline = started + seconds if seconds is not None else float("inf")

    async def loop(conn: Connection) -> None:
        nonlocal left
        while left != 0 and time.perf_counter() < deadline:
            left -= 1
            sent = time.perf_counter()
            status, body = await conn.send(request)
            sample.latencies.append(time.perf_counter() - sent)
            if status != expect:
                raise RuntimeError(
                    f"{request.method} {request.path} answered {status}, expected {expect}: "
                    f"{body[:200]!r}"
                )

    await asyncio.gather(*(loop(conn) for conn in conns))
    sample.elapsed = time.perf_counter() - started
    return sample
