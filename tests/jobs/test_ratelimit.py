"""Submission rate limits: a token bucket per caller, pure and clock-driven."""

from __future__ import annotations

from apiscope.jobs.ratelimit import RateLimiter, retry_after


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_then_the_rate() -> None:
    """Up to `burst` at once, then one per 1/rate seconds, with the wait to the next token."""
    clock = Clock()
    limiter = RateLimiter(per_minute=60, burst=2, clock=clock)
    assert limiter.acquire("a") is None and limiter.acquire("a") is None
    wait = limiter.acquire("a")
    assert wait is not None and 0.99 < wait <= 1.0
    clock.now += 1.0
    assert limiter.acquire("a") is None
    assert retry_after(0.2) == "1" and retry_after(2.1) == "3"


def test_callers_have_separate_buckets_and_zero_disables() -> None:
    """One caller over its limit does not slow another; a zero rate never limits."""
    limiter = RateLimiter(per_minute=60, burst=1, clock=Clock())
    assert limiter.acquire("a") is None and limiter.acquire("a") is not None
    assert limiter.acquire("b") is None
    unlimited = RateLimiter(per_minute=0, burst=1)
    assert all(unlimited.acquire("a") is None for _ in range(1000))
