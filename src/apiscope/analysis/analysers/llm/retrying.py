"""Trying a provider request again: a pure decision, and the loop that applies it.

Exponential backoff with jitter (the job engine's `backoff`), never shorter than the server's
`Retry-After`; a server that asks for more than `max_retry_after` seconds is not waited for,
since a job should not sit idle that long.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

from apiscope.analysis.analysers.llm.provider_errors import ProviderError
from apiscope.jobs.retry import RetryPolicy, backoff

log = logging.getLogger(__name__)

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]


def retry_delay(
    error: ProviderError,
    attempt: int,
    policy: RetryPolicy,
    max_retry_after: float,
    rand: Callable[[], float] = random.random,
) -> float | None:
    """Seconds to wait before attempt `attempt + 1`, or None to give up."""
    if not error.retryable or attempt >= policy.max_attempts:
        return None
    wait = backoff(policy, attempt, rand)
    if error.retry_after is None:
        return wait
    if error.retry_after > max_retry_after:
        return None
    return max(wait, error.retry_after)


async def with_retries(
    call: Callable[[], Awaitable[T]],
    policy: RetryPolicy,
    max_retry_after: float,
    sleep: Sleep = asyncio.sleep,
) -> T:
    """`await call()`, again after each retryable failure while attempts are left."""
    attempt = 1
    while True:
        try:
            return await call()
        except ProviderError as error:
            delay = retry_delay(error, attempt, policy, max_retry_after)
            if delay is None:
                raise _final(error, attempt, max_retry_after) from error
            log.info("LLM request failed (%s); attempt %d in %.1f s", error, attempt + 1, delay)
            await sleep(delay)
            attempt += 1


def _final(error: ProviderError, attempts: int, max_retry_after: float) -> ProviderError:
    """The error to give up with, saying how many attempts were made or how long to wait."""
    reason = error.reason
    if error.retry_after is not None and error.retry_after > max_retry_after:
        reason += f" (the provider asked to wait {error.retry_after:g} s)"
    elif attempts > 1:
        reason += f" after {attempts} attempts"
    return ProviderError(reason, fatal=error.fatal)
