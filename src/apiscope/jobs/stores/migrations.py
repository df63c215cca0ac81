"""Versioned schema migrations: `sql/<dialect>/NNNN_name.sql`, applied in order, never edited
once released (a change is a new file)."""

from __future__ import annotations

from importlib import resources


def migrations(dialect: str) -> list[tuple[int, str]]:
    """(version, script) pairs for a dialect, oldest first."""
    folder = resources.files("apiscope.jobs.stores").joinpath("sql", dialect)
    found = [(int(f.name.split("_", 1)[0]), f.read_text()) for f in folder.iterdir()]
    return sorted((version, script) for version, script in found if script.strip())


def latest_version(dialect: str) -> int:
    """The version a fully upgraded schema is at."""
    return migrations(dialect)[-1][0]


def statements(script: str) -> list[str]:
    """A script's statements (our scripts end each statement with `;` at a line end)."""
    return [s.strip() for s in script.split(";\n") if s.strip()]


def named_queries(filename: str) -> dict[str, bytes]:
    """Queries from a `.sql` file where `-- name: x` starts query x (the procrastinate way)."""
    text = resources.files("apiscope.jobs.stores").joinpath("sql", filename).read_text()
    queries: dict[str, bytes] = {}
    for chunk in text.split("-- name: ")[1:]:
        name, _, body = chunk.partition("\n")
        queries[name.strip()] = body.strip().rstrip(";").encode()
    return queries
