"""Observed request URLs reduced to what routing sees: decoded path segments.

A log or a metrics export may write `https://api.example.com/users/42/?expand=1`,
`/users/42/`, `/users//42` or `/caf%C3%A9`; routers compare the decoded path without the query,
and (for us) without the trailing slash. Segments are split before decoding, so an encoded
`%2F` stays inside its segment as it does in the frameworks that keep the raw path.
"""

from __future__ import annotations

from urllib.parse import unquote

_SCHEMES = ("http://", "https://", "ws://", "wss://")


def request_path(url: str) -> str:
    """The path of a URL or path: scheme, host, query string and fragment removed."""
    path = url.strip()
    if path.lower().startswith(_SCHEMES):
        after_host = path.find("/", path.find("//") + 2)
        path = path[after_host:] if after_host >= 0 else "/"
    for mark in ("?", "#"):
        cut = path.find(mark)
        if cut >= 0:
            path = path[:cut]
    return path if path.startswith("/") else "/" + path


def path_segments(url: str) -> tuple[str, ...]:
    """The decoded, non-empty segments of a URL's path."""
    return tuple(unquote(s) if "%" in s else s for s in request_path(url).split("/") if s)


def display_path(url: str) -> str:
    """A URL's path as an endpoint name: decoded, single slashes, no trailing slash."""
    return "/" + "/".join(path_segments(url))
