"""`/jobs/{job_id}` is both an API resource and the UI's page for that job. A browser navigating
to it (a bookmark, a reload, a shared link) asks for HTML and gets the UI, which then reads the
job as JSON; every other client keeps getting the JSON from the jobs router.

Done as ASGI middleware, not a route, because the jobs router already owns the path and its
JSON response must stay exactly as it is for API clients.
"""

from __future__ import annotations

import re

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from apiscope.web.pages import index_response

JOB_PAGE = re.compile(r"^/jobs/[^/]+/?$")
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def wants_html(accept: str) -> bool:
    """Whether an `Accept` header asks for HTML (as browser navigations do, unlike `*/*`)."""
    for item in accept.split(","):
        media_type, *params = (part.strip() for part in item.split(";"))
        quality = next((p.partition("=")[2] for p in params if p.startswith("q=")), "1")
        if media_type.lower() in HTML_TYPES and _positive(quality):
            return True
    return False


def _positive(quality: str) -> bool:
    try:
        return float(quality) > 0
    except ValueError:
        return True  # a malformed q is ignored, as if absent


class DeepLinkMiddleware:
    """Answers a browser's `GET /jobs/{job_id}` with the UI; marks both answers `Vary: Accept`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._is_job_page(scope):
            await self.app(scope, receive, send)
            return
        if wants_html(Headers(scope=scope).get("accept", "")):
            await index_response()(scope, receive, send)
            return

        async def vary_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).add_vary_header("Accept")
            await send(message)

        await self.app(scope, receive, vary_send)

    @staticmethod
    def _is_job_page(scope: Scope) -> bool:
        return (
            scope["type"] == "http"
            and scope["method"] in ("GET", "HEAD")
            and JOB_PAGE.match(scope["path"]) is not None
        )
