"""Riding out a short store outage (a database restart, a failover) instead of failing jobs."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from apiscope.errors import StoreUnavailable

T = TypeVar("T")
log = logging.getLogger("apiscope.jobs")


async def through_outage(
    call: Callable[[], Awaitable[T]], *, attempts: int = 8, first_delay: float = 0.25
) -> T:
    """Call again, waiting twice as long each time, while the store is unavailable (about 30 s in
    all by default); other errors, and the last unavailability, go to the caller."""
    delay = first_delay
    for _ in range(attempts - 1):
        try:
            return await call()
        except StoreUnavailable as exc:
            log.warning("store unavailable, retrying in %.2f s: %s", delay, exc)
            await asyncio.sleep(delay)
            delay *= 2
    return await call()
