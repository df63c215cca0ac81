"""Per-caller submission rate limits: a token bucket per API key (or client address without
keys), so one client cannot flood the queue. The buckets live in the API process; with several
API processes each enforces the limit on its own share of the traffic."""

# No `from __future__ import annotations`: FastAPI resolves the dependency declared inside
# `submitter_dependency` at definition time, from the local scope.
import math
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from apiscope.jobs.auth import ApiKeys, caller_dependency

MAX_TRACKED = 10_000
"""Buckets kept at most; the least recently used go first (a full bucket is the default)."""


class RateLimiter:
    """`per_minute` submissions a minute with bursts of up to `burst`; 0 disables the limit."""

    def __init__(
        self, per_minute: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._rate = per_minute / 60.0
        self._burst = float(max(burst, 1))
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    @property
    def enabled(self) -> bool:
        """Whether any limit applies."""
        return self._rate > 0

    def acquire(self, caller: str) -> float | None:
        """Take one token for `caller`: None if allowed, else the seconds to wait."""
        if not self.enabled:
            return None
        now = self._clock()
        tokens, last = self._buckets.pop(caller, (self._burst, now))
        tokens = min(self._burst, tokens + (now - last) * self._rate)
        if tokens >= 1:
            self._remember(caller, tokens - 1, now)
            return None
        self._remember(caller, tokens, now)
        return (1 - tokens) / self._rate

    def _remember(self, caller: str, tokens: float, now: float) -> None:
        self._buckets[caller] = (tokens, now)
        while len(self._buckets) > MAX_TRACKED:
            self._buckets.popitem(last=False)


def retry_after(seconds: float) -> str:
    """A Retry-After header value: whole seconds, at least 1."""
    return str(max(1, math.ceil(seconds)))


def submitter_dependency(keys: ApiKeys, limiter: RateLimiter) -> Callable[..., str | None]:
    """A FastAPI dependency for submission endpoints: the caller's owner id, or 429 with
    Retry-After once the caller (its key, else its address) is over the limit."""
    caller = caller_dependency(keys)

    def submitter(request: Request, owner: Annotated[str | None, Depends(caller)]) -> str | None:
        address = request.client.host if request.client else "unknown"
        wait = limiter.acquire(owner or f"address:{address}")
        if wait is not None:
            raise HTTPException(
                429, "Too many submissions; retry later", headers={"Retry-After": retry_after(wait)}
            )
        return owner

    return submitter
