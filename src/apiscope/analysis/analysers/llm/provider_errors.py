"""What an LLM provider's error answers mean: retry, give up on this endpoint, or stop the job.

- 401, 403, 404 (bad key, no access, unknown model) and OpenAI's 429 `insufficient_quota` are
  *fatal*: every other request of the job would fail the same way, so none is sent.
- 408, 409, 429, 5xx (Anthropic's 529 "overloaded" included), timeouts and network errors are
  *retryable*, after the `Retry-After` (or OpenAI's `retry-after-ms`) the server asked for.
- Anything else (400 context too long, 413, 422) fails this endpoint only.

Messages are one line: the status, then the provider's own message for errors that are not
about credentials, with secrets redacted (a 401 body can quote part of the key).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from email.utils import parsedate_to_datetime

import httpx

from apiscope.analysis.analysers.llm.redaction import redact
from apiscope.errors import ApiscopeError

_FATAL = frozenset({401, 403, 404})
_RETRYABLE = frozenset({408, 409, 429})
_QUIET = frozenset({401, 403})
"""Statuses whose body is not quoted: it is about the credentials."""


class ProviderError(ApiscopeError):
    """A request to the LLM provider failed; `str()` is safe to show to the user.

    Never leaves the LLM analyser: it becomes a warning next to the rule-based findings.
    """

    def __init__(
        self,
        reason: str,
        *,
        retryable: bool = False,
        fatal: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.fatal = fatal
        self.retry_after = retry_after
        """Seconds the server asked us to wait before trying again."""


def raise_for_status(response: httpx.Response, secrets: Sequence[str] = ()) -> None:
    """Return for a success; raise the `ProviderError` the status means otherwise."""
    status = response.status_code
    if response.is_success:
        return
    reason = f"{status} {response.reason_phrase}".strip()
    message = "" if status in _QUIET else _message(response, secrets)
    if message:
        reason = f"{reason}: {message}"
    if status == 429 and _error_code(response) == "insufficient_quota":
        raise ProviderError(reason, fatal=True)
    if status in _FATAL:
        raise ProviderError(reason, fatal=True)
    if status in _RETRYABLE or status >= 500:
        raise ProviderError(reason, retryable=True, retry_after=retry_after(response))
    raise ProviderError(reason)


def retry_after(response: httpx.Response, now: float | None = None) -> float | None:
    """Seconds from `retry-after-ms`, or `Retry-After` as seconds or an HTTP date."""
    headers = response.headers
    try:
        if "retry-after-ms" in headers:
            return max(0.0, float(headers["retry-after-ms"]) / 1000)
        value = headers.get("retry-after")
        if value is None:
            return None
        if value.strip().replace(".", "", 1).isdigit():
            return float(value)
        moment = parsedate_to_datetime(value).timestamp()
    except (ValueError, TypeError, OverflowError):
        return None
    return max(0.0, moment - (time.time() if now is None else now))


def _message(response: httpx.Response, secrets: Sequence[str]) -> str:
    """The provider's `error.message` (both APIs nest it so), redacted, on one short line."""
    try:
        error = response.json().get("error")
        text = error.get("message") if isinstance(error, dict) else error
    except (ValueError, AttributeError):
        text = None
    if not isinstance(text, str):
        return ""
    for secret in secrets:
        text = text.replace(secret, "[REDACTED]")
    return " ".join(redact(text).text.split())[:200]


def _error_code(response: httpx.Response) -> str | None:
    """OpenAI's machine-readable `error.code` (or `type`), to tell a quota from a rate limit."""
    try:
        error = response.json().get("error")
    except (ValueError, AttributeError):
        return None
    if not isinstance(error, dict):
        return None
    code = error.get("code") or error.get("type")
    return code if isinstance(code, str) else None
