"""The retry decision is a pure function of the policy, the attempt and the error."""

from __future__ import annotations

import pytest

from apiscope.errors import PermanentJobFailure
from apiscope.jobs.retry import GiveUp, Retry, RetryPolicy, backoff, decide


def test_backoff_grows_exponentially_with_jitter_in_the_upper_half() -> None:
    """Attempt n waits between half and all of base * 2**(n-1), capped."""
    policy = RetryPolicy(base_delay=1, multiplier=2, max_delay=10)
    assert [backoff(policy, n, lambda: 0.0) for n in (1, 2, 3, 4, 5)] == [0.5, 1, 2, 4, 5]
    assert [backoff(policy, n, lambda: 1.0) for n in (1, 2, 3, 4, 5)] == [1, 2, 4, 8, 10]


def test_retries_until_the_last_attempt() -> None:
    """With 3 attempts, failures of attempts 1 and 2 retry and the third gives up."""
    policy = RetryPolicy(max_attempts=3)
    assert isinstance(decide(policy, 1, RuntimeError()), Retry)
    assert isinstance(decide(policy, 2, RuntimeError()), Retry)
    assert isinstance(decide(policy, 3, RuntimeError()), GiveUp)


def test_permanent_failures_and_unlisted_errors_are_not_retried() -> None:
    """PermanentJobFailure never retries; retry_on limits which errors do."""
    assert isinstance(decide(RetryPolicy(), 1, PermanentJobFailure("bad input")), GiveUp)
    only_io = RetryPolicy(retry_on=(OSError,))
    assert isinstance(decide(only_io, 1, ValueError()), GiveUp)
    assert isinstance(decide(only_io, 1, ConnectionError()), Retry)


def test_invalid_policies_are_refused() -> None:
    """A policy that cannot work fails at definition time."""
    with pytest.raises(ValueError, match="max_attempts"):
        RetryPolicy(max_attempts=0)
    with pytest.raises(ValueError, match="multiplier"):
        RetryPolicy(multiplier=0.5)
