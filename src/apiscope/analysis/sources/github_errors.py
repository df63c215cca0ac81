"""What GitHub's error answers mean, in one sentence each, with what to do about them.

GitHub answers 404 for a private repository it will not show without a token, so a 404 says
both. A rate limit comes as 403 or 429 with the reset time in `X-RateLimit-Reset` (epoch
seconds) or a `Retry-After` (seconds); it is transient, so it is raised as `SourceUnavailable`
with the wait, and a pipeline may retry after it.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import httpx

from apiscope.analysis.sources.spec import GitHubSpec
from apiscope.errors import SourceError, SourceUnavailable


class GitHubErrors:
    """Turns a failed response about one repository into the right apiscope error."""

    def __init__(self, spec: GitHubSpec, *, has_token: bool) -> None:
        self.spec = spec
        self.has_token = has_token

    def check(self, response: httpx.Response) -> None:
        """Return if the response succeeded; raise the error it means otherwise."""
        status = response.status_code
        if response.is_success:
            return
        if status in (403, 429) and _rate_limited(response):
            raise self.rate_limited(response)
        if status == 401:
            raise SourceError("GitHub rejected GITHUB_TOKEN (401 Bad credentials): renew or fix it")
        if status == 404:
            raise SourceError(self.not_found())
        if status == 403:
            raise SourceError(
                f"GitHub refused access to {self.spec.display} (403): {_message(response)}"
            )
        if status >= 500:
            raise SourceUnavailable(f"GitHub answered {status} for {self.spec.display}; try later")
        raise SourceError(f"GitHub answered {status} for {self.spec.display}: {_message(response)}")

    def not_found(self) -> str:
        """Missing and private look the same to GitHub; say both, and what a token changes."""
        where = f"GitHub repository {self.spec.display} not found"
        if self.has_token:
            return f"{where}, or GITHUB_TOKEN cannot read it"
        return f"{where} (if it is private, set GITHUB_TOKEN to a token that can read it)"

    def rate_limited(self, response: httpx.Response) -> SourceUnavailable:
        """The error for a rate limit, with when it resets and the wait in seconds."""
        resets_at = _resets_at(response)
        text = f"GitHub API rate limit exceeded ({response.status_code})"
        wait = None
        if resets_at is not None:
            wait = max(0.0, resets_at - time.time())
            when = datetime.fromtimestamp(resets_at, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
            text += f"; it resets at {when}"
        if not self.has_token:
            text += "; set GITHUB_TOKEN for a higher limit"
        return SourceUnavailable(text, retry_after=wait)


def _rate_limited(response: httpx.Response) -> bool:
    headers = response.headers
    return (
        response.status_code == 429
        or headers.get("x-ratelimit-remaining") == "0"
        or "retry-after" in headers
        or "rate limit" in _message(response).lower()
    )


def _resets_at(response: httpx.Response) -> float | None:
    """Epoch seconds when a retry may succeed: `Retry-After` first, then the reset header."""
    retry_after = response.headers.get("retry-after", "")
    if retry_after.isdigit():
        return time.time() + int(retry_after)
    reset = response.headers.get("x-ratelimit-reset", "")
    return float(reset) if reset.isdigit() else None


def _message(response: httpx.Response) -> str:
    """GitHub's own `message`, or the start of the body; one line."""
    try:
        message = response.json().get("message")
    except (ValueError, AttributeError):
        message = None
    text = message if isinstance(message, str) else response.text
    return " ".join(text.split())[:200] or response.reason_phrase
