"""Serving the built UI: the page itself and its assets, with the headers a browser app needs.

The build (Vite) names every asset after a hash of its content, so assets can be cached for a
year; `index.html` names the current ones and is revalidated on every load instead.
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, PlainTextResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

STATIC_DIR = Path(__file__).resolve().parent / "static"
INDEX = STATIC_DIR / "index.html"
HASHED_ASSETS = "assets"

SECURITY_HEADERS = {
    # The app has no inline script or style: everything comes from /static on this origin.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}
NOT_BUILT = "The web UI is not built in this checkout: run `make ui`. The API is at /docs."


def index_response() -> Response:
    """The UI's page, never cached without revalidation (it names the current assets)."""
    if not INDEX.is_file():
        return PlainTextResponse(NOT_BUILT, status_code=503, headers=SECURITY_HEADERS)
    headers = {**SECURITY_HEADERS, "Cache-Control": "no-cache", "Vary": "Accept"}
    return FileResponse(INDEX, media_type="text/html; charset=utf-8", headers=headers)


class UiStaticFiles(StaticFiles):
    """Static files with the UI's security headers and a year's cache for hashed assets."""

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers.update(SECURITY_HEADERS)
        hashed = Path(full_path).parent == STATIC_DIR / HASHED_ASSETS
        response.headers["Cache-Control"] = (
            "public, max-age=31536000, immutable" if hashed else "no-cache"
        )
        return response


def create_web_router() -> APIRouter:
    """`GET /` (the UI) and `/static/*` (its assets); deep links need `DeepLinkMiddleware`."""
    router = APIRouter(include_in_schema=False)
    router.add_api_route("/", index_response, methods=["GET", "HEAD"])
    router.mount("/static", UiStaticFiles(directory=STATIC_DIR, check_dir=False), name="static")
    return router
