"""Small projects written to tmp_path and discovered by one discoverer at a time. Fixture
applications under fixtures/ are data for discovery, not tests to collect."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from apiscope.analysis.discovery.base import Discoverer
from apiscope.analysis.discovery.project import Project

collect_ignore_glob = ["fixtures/*"]

Row = tuple[str, str, str, int, str]
"""(method, path, file, line, handler): what the tests compare."""

Discover = Callable[[Discoverer, dict[str, str]], list[Row]]


def write_project(root: Path, files: dict[str, str]) -> None:
    """Writes each file, dedented and without the leading newline of a triple-quoted string."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


@pytest.fixture
def discover_files(tmp_path: Path) -> Discover:
    """Write the files under tmp_path and run one discoverer over them; its routes, sorted."""

    def run(discoverer: Discoverer, files: dict[str, str]) -> list[Row]:
        write_project(tmp_path, files)
        routes = list(discoverer.discover(Project.scan(tmp_path)))
        rows = [(r.method, r.path, r.file, r.line, r.handler) for r in routes]
        assert len(rows) == len(set(rows)), "a route was reported twice"
        return sorted(rows)

    return run
