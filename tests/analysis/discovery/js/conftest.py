"""A tiny JS/TS project written into tmp_path, discovered by one framework's discoverers."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

import pytest

from apiscope.analysis.discovery.project import Project
from tests.analysis.discovery.conftest import write_project

Found = set[tuple[str, str, str, int, str]]
"""(method, path, file, line, handler) of each route found."""
Discover = Callable[[dict[str, str], str], Found]


@pytest.fixture
def discover_js(tmp_path: Path) -> Discover:
    """Writes a project and returns the routes `js_<framework>` finds in it."""

    def run(files: dict[str, str], framework: str) -> Found:
        write_project(tmp_path, files)
        project = Project.scan(tmp_path)
        module = importlib.import_module(f"apiscope.analysis.discovery.frameworks.js_{framework}")
        routes = [r for d in module.DISCOVERERS for r in d.discover(project)]
        assert all(r.framework == framework for r in routes)
        return {(r.method, r.path, r.file, r.line, r.handler) for r in routes}

    return run
