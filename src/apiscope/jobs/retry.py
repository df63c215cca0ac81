"""When to run a failed job again: a pure decision, testable without a store or a clock."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from apiscope.errors import PermanentJobFailure


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff with jitter, per job kind.

    The n-th retry waits `base_delay * multiplier**(n-1)` seconds, capped at `max_delay`, of which
    the upper half is random ("equal jitter"): retries of jobs that failed together spread out, yet
    every wait still grows with the attempt number.
    """

    max_attempts: int = 3
    base_delay: float = 1.0
    multiplier: float = 2.0
    max_delay: float = 300.0
    retry_on: tuple[type[BaseException], ...] = (Exception,)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.base_delay < 0 or self.max_delay < 0 or self.multiplier < 1:
            raise ValueError("delays must be >= 0 and multiplier >= 1")


@dataclass(frozen=True, slots=True)
class Retry:
    """Run the job again after `delay` seconds."""

    delay: float


@dataclass(frozen=True, slots=True)
class GiveUp:
    """Fail the job for good."""

    reason: str


def backoff(policy: RetryPolicy, attempt: int, rand: Callable[[], float] = random.random) -> float:
    """Seconds to wait after failed attempt number `attempt` (1-based)."""
    ceiling = min(policy.max_delay, policy.base_delay * policy.multiplier ** (attempt - 1))
    return ceiling / 2 + rand() * ceiling / 2


def decide(
    policy: RetryPolicy,
    attempt: int,
    error: BaseException,
    rand: Callable[[], float] = random.random,
) -> Retry | GiveUp:
    """Retry or give up after `error` ended attempt number `attempt` (1-based)."""
    if isinstance(error, PermanentJobFailure) or not isinstance(error, policy.retry_on):
        return GiveUp("not retryable")
    if attempt >= policy.max_attempts:
        return GiveUp(f"no attempts left ({attempt} of {policy.max_attempts})")
    return Retry(backoff(policy, attempt, rand))
