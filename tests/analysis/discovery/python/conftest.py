"""Small projects written to tmp_path, discovered by one discoverer at a time."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from textwrap import dedent

import pytest

from apiscope.analysis.discovery.base import Discoverer
from apiscope.analysis.discovery.project import Project

RouteRow = tuple[str, str, str, int, str]
"""(method, path, file, line, handler): what a test compares."""

Discover = Callable[[Discoverer, dict[str, str]], list[RouteRow]]


@pytest.fixture
def discover_files(tmp_path: Path) -> Discover:
    """Write the files (dedented) under tmp_path and run the discoverer on them."""

    def run(discoverer: Discoverer, files: dict[str, str]) -> list[RouteRow]:
        for name, text in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(dedent(text).lstrip("\n"))
        routes = discoverer.discover(Project.scan(tmp_path))
        return sorted({(r.method, r.path, r.file, r.line, r.handler) for r in routes})

    return run
