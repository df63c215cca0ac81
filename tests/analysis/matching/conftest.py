"""Route lists for matching tests: plain `Route` records, no discovery involved."""

from __future__ import annotations

from apiscope.analysis.routes import Route


def route(method: str, path: str, line: int = 1, handler: str = "handler") -> Route:
    """A route declared in `app.py` at `line`."""
    return Route(
        path=path, method=method, file="app.py", line=line, handler=handler, framework="test"
    )
