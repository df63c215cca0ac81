"""Path templates: joining prefixes across files and writing parameters as `{name}`.

Every discoverer ends with these, so `/api` + `users/:id` and `/api/` + `/users/<int:id>` both
become `/api/users/{id}`. A trailing slash is kept as declared (Django and DRF declare them);
matching ignores it.
"""

from __future__ import annotations

import re

_COLON = re.compile(r":([A-Za-z_][A-Za-z0-9_]*)(\([^)]*\))?[?]?")
"""Express, Koa, Fastify, gin, echo, Rails, Sinatra: `:id`, `:id(\\d+)`, `:id?`."""
_STAR = re.compile(r"\*([A-Za-z_][A-Za-z0-9_]*)")
"""gin / Rails globs: `*filepath`."""
_ANGLE = re.compile(r"<(?:[A-Za-z_][A-Za-z0-9_]*:)?([A-Za-z_][A-Za-z0-9_]*)>")
"""Flask, Django `path()`: `<id>`, `<int:id>`, `<path:rest>`."""
_BRACE_TYPED = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?:[:=][^{}]*(?:\{[^{}]*\}[^{}]*)*)?\*?\}")
"""Spring `{id:\\d+}`, ASP.NET `{id:int}`, FastAPI `{p:path}`, Go 1.22 `{rest...}` handled apart."""
_REGEX_GROUP = re.compile(r"\(\?P<([A-Za-z_][A-Za-z0-9_]*)>[^()]*(?:\([^()]*\)[^()]*)*\)")
"""Django `re_path` / DRF routers: `(?P<pk>[^/.]+)`."""


def join_paths(*parts: str) -> str:
    """Join prefixes and a path with exactly one `/` between them, starting with `/`."""
    joined = "/".join(p.strip("/") for p in parts if p and p.strip("/"))
    trailing = bool(parts) and parts[-1].endswith("/") and joined != ""
    return "/" + joined + ("/" if trailing else "")


def join_route(*parts: str) -> str:
    """Like `join_paths`, but a bare `/` under a prefix is the prefix itself (`/users`, not
    `/users/`): how Spring, JAX-RS, Ktor, Go routers and Rust builders treat a `/` route."""
    kept = [p for p in parts if p.strip("/")]
    return join_paths(*kept) if kept else "/"


def colon_params(path: str) -> str:
    """`/users/:id/files/*rest` → `/users/{id}/files/{rest}`."""
    return _STAR.sub(r"{\1}", _COLON.sub(r"{\1}", path))


def angle_params(path: str) -> str:
    """`/users/<int:id>` → `/users/{id}`."""
    return _ANGLE.sub(r"{\1}", path)


def brace_params(path: str) -> str:
    """`/users/{id:\\d+}` or `{id:int}` or `{rest...}` → `/users/{id}`."""
    return _BRACE_TYPED.sub(r"{\1}", path.replace("...}", "}"))


def regex_params(pattern: str) -> str:
    """A Django/DRF regex route to a template: `^users/(?P<pk>[^/.]+)/$` → `users/{pk}/`."""
    path = _REGEX_GROUP.sub(r"{\1}", pattern)
    path = path.removeprefix("^").removesuffix("$").removesuffix("\\Z")
    return path.replace("\\.", ".").replace("\\-", "-").replace("/?", "/")
