"""The record every discoverer emits: plain and frozen, so matching, rules and the LLM step are
testable without parsing anything. A leaf module: it imports nothing of ours."""

from __future__ import annotations

from dataclasses import asdict, dataclass

ANY_METHOD = "ANY"
"""A route that answers every HTTP method (Express `app.all`, a Django view, ...)."""


@dataclass(frozen=True, slots=True, order=True)
class Route:
    """One HTTP endpoint a repository declares."""

    path: str
    """The full path template, prefixes resolved, parameters written `{name}`; starts with `/`."""
    method: str
    """Upper-case HTTP method, or `ANY`."""
    file: str
    """Relative to the repository root, with `/` separators."""
    line: int
    """1-based line of the route's declaration (the decorator, call or attribute)."""
    handler: str
    """The handler's name as written: `get_user`, `UsersController.show`, `anonymous`."""
    framework: str
    """Short framework id: `fastapi`, `flask`, `django`, `express`, `spring`, `gin`, ..."""

    def to_json(self) -> dict[str, str | int]:
        """The contract's route object."""
        data = asdict(self)
        return {k: data[k] for k in ("method", "path", "file", "line", "handler", "framework")}
