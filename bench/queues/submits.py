"""Timed enqueue calls from one process, a fixed number in flight (asyncio clients)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


async def timed_submits(
    submit_one: Callable[[], Awaitable[object]], count: int, inflight: int
) -> list[float]:
    """`count` calls of `submit_one`, `inflight` at a time; the seconds each call took."""
    latencies: list[float] = []
    left = count

    async def lane() -> None:
        nonlocal left
        while left > 0:
            left -= 1
            started_at = time.perf_counter()
            await submit_one()
            latencies.append(time.perf_counter() - started_at)

    await asyncio.gather(*(lane() for _ in range(inflight)))
    return latencies
