"""ASP.NET Core route templates written the way every discoverer writes paths.

`api/[controller]/{id:int:min(1)}` becomes `/api/Users/{id}` for `UsersController`: tokens are
replaced as ASP.NET replaces them (case kept), and parameters lose their constraints, defaults,
optional marks and catch-all stars. Escaped braces (`{{`) inside regex constraints are skipped.
"""

from __future__ import annotations

import re

from apiscope.analysis.discovery.paths import join_paths

_TOKEN = re.compile(r"\[(controller|action|area)\]", re.IGNORECASE)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def replace_tokens(template: str, tokens: dict[str, str]) -> str:
    """`[controller]`, `[action]` and `[area]` replaced by the values given."""
    return _TOKEN.sub(lambda m: tokens.get(m.group(1).lower(), m.group(0)), template)


def is_absolute(template: str) -> bool:
    """`/x` and `~/x` on an action ignore the controller's route prefix."""
    return template.startswith(("/", "~/"))


def aspnet_path(*templates: str) -> str:
    """Join templates into one path with `{name}` parameters and no trailing slash (ASP.NET
    matches with or without one, so `MapGroup("/x")` + `MapPost("/")` is `/x`)."""
    path = join_paths(*(_parameters(t.removeprefix("~")) for t in templates))
    return path.rstrip("/") or "/"


def _parameters(template: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(template):
        if template.startswith("{{", i) or template.startswith("}}", i):
            out.append(template[i])
            i += 2
        elif template[i] == "{":
            end = _closing(template, i + 1)
            name = _NAME.search(template[i + 1 : end].lstrip("*"))
            out.append("{" + (name.group(0) if name else "") + "}")
            i = end + 1
        else:
            out.append(template[i])
            i += 1
    return "".join(out)


def _closing(template: str, start: int) -> int:
    """The index of the `}` closing a parameter, stepping over `{{` and `}}` inside it."""
    i = start
    while i < len(template):
        if template.startswith(("{{", "}}"), i):
            i += 2
        elif template[i] == "}":
            return i
        else:
            i += 1
    return len(template)
