"""Which provider errors are retried, after how long, and what the user is told."""

from __future__ import annotations

import email.utils

import httpx
import pytest

from apiscope.analysis.analysers.llm.provider_errors import (
    ProviderError,
    raise_for_status,
    retry_after,
)
from apiscope.analysis.analysers.llm.retrying import retry_delay
from apiscope.jobs.retry import RetryPolicy

POLICY = RetryPolicy(max_attempts=4, base_delay=1.0, multiplier=2.0, max_delay=20.0)


def response(status: int, headers: dict[str, str] | None = None, **body: object) -> httpx.Response:
    request = httpx.Request("POST", "http://127.0.0.1/v1/chat/completions")
    return httpx.Response(status, headers=headers, json=body, request=request)


def error_for(status: int, headers: dict[str, str] | None = None, **body: object) -> ProviderError:
    with pytest.raises(ProviderError) as caught:
        raise_for_status(response(status, headers, **body))
    return caught.value


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 529])
def test_transient_statuses_are_retryable(status: int) -> None:
    """Rate limits, timeouts and server errors are worth another attempt."""
    error = error_for(status)
    assert error.retryable and not error.fatal


@pytest.mark.parametrize("status", [401, 403, 404])
def test_credential_and_model_errors_are_fatal(status: int) -> None:
    """A bad key or unknown model would fail every request: fatal, never retried."""
    error = error_for(status)
    assert error.fatal and not error.retryable


def test_bad_request_fails_one_endpoint_only() -> None:
    """A 400 is neither retried nor fatal, and quotes the provider's message."""
    error = error_for(400, error={"message": "maximum context length is 128000 tokens"})
    assert not error.retryable and not error.fatal
    assert str(error) == "400 Bad Request: maximum context length is 128000 tokens"


def test_auth_error_body_is_never_quoted() -> None:
    """A 401 says only its status: its body may quote the key."""
    error = error_for(401, error={"message": "Incorrect API key provided: sk-abc123"})
    assert str(error) == "401 Unauthorized"


def test_secrets_in_other_error_messages_are_redacted() -> None:
    """A provider message quoting a token is redacted before it can reach a warning."""
    token = "ghp_" + "x" * 36
    error = error_for(400, error={"message": f"bad tool token {token}"})
    assert token not in str(error)


def test_retry_after_as_an_http_date() -> None:
    """`Retry-After` may be a date: the wait is the time until it."""
    date = email.utils.formatdate(1_000_030, usegmt=True)
    assert retry_after(response(429, {"Retry-After": date}), now=1_000_000) == 30


def test_unparseable_retry_after_is_ignored() -> None:
    """A garbled header means no advice, not a crash."""
    assert retry_after(response(429, {"Retry-After": "soon"})) is None


def test_backoff_grows_and_is_never_below_retry_after() -> None:
    """Waits grow with attempts (equal jitter) and respect the server's Retry-After."""
    error = ProviderError("503", retryable=True)
    assert retry_delay(error, 1, POLICY, 60, rand=lambda: 0.0) == 0.5
    assert retry_delay(error, 3, POLICY, 60, rand=lambda: 1.0) == 4.0
    asked = ProviderError("429", retryable=True, retry_after=9)
    assert retry_delay(asked, 1, POLICY, 60, rand=lambda: 1.0) == 9


def test_no_retry_when_attempts_are_spent_or_the_wait_is_too_long() -> None:
    """The last attempt, a non-retryable error or an excessive Retry-After end the retries."""
    assert retry_delay(ProviderError("503", retryable=True), 4, POLICY, 60) is None
    assert retry_delay(ProviderError("400"), 1, POLICY, 60) is None
    assert retry_delay(ProviderError("429", retryable=True, retry_after=61), 1, POLICY, 60) is None
