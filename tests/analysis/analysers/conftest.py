"""Small projects written to tmp_path, analysed through the real context builder and rules."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from textwrap import dedent

import pytest

from apiscope.analysis.analysers.base import ApiUnderAnalysis, CodeContext
from apiscope.analysis.analysers.context import ContextBuilder
from apiscope.analysis.analysers.rules.analyser import RuleAnalyser
from apiscope.analysis.analysers.rules.base import Rule
from apiscope.analysis.discovery.project import Project
from apiscope.analysis.routes import Route

EXTENSIONS = {
    "python": "py",
    "javascript": "js",
    "typescript": "ts",
    "java": "java",
    "go": "go",
    "ruby": "rb",
    "php": "php",
    "csharp": "cs",
    "rust": "rs",
}

Lines = tuple[tuple[int, int], ...]
"""A finding's evidence as (line_start, line_end) pairs."""
Check = Callable[..., list[Lines]]
Write = Callable[[dict[str, str]], Project]


@pytest.fixture
def write(tmp_path: Path) -> Write:
    """Write files (dedented) under tmp_path and scan them as a project."""

    def run(files: dict[str, str]) -> Project:
        for name, text in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(dedent(text).lstrip("\n"))
        return Project.scan(tmp_path)

    return run


def route_to(file: str, line: int, handler: str, method: str = "GET") -> Route:
    """A route record as a discoverer would emit it."""
    return Route("/items", method, file, line, handler, "test")


def api_for(project: Project, route: Route) -> ApiUnderAnalysis:
    """The route's endpoint with its code context, as the pipeline hands it to analysers."""
    context = ContextBuilder(project).build(route)
    return ApiUnderAnalysis(f"{route.method} {route.path}", {}, "red", route, context)


@pytest.fixture
def check(write: Write) -> Check:
    """Run one rule on a one-file app whose handler is `handler`; each finding's evidence.

    The route is declared on the first line that names the handler (or on `route_line`)."""

    def run(
        rule: Rule,
        source: str,
        language: str = "python",
        *,
        handler: str = "handler",
        method: str = "GET",
        route_line: int | None = None,
        files: dict[str, str] | None = None,
    ) -> list[Lines]:
        name = f"app.{EXTENSIONS[language]}"
        project = write({name: source, **(files or {})})
        text = dedent(source).lstrip("\n").split("\n")
        line = route_line or next(
            i for i, content in enumerate(text, 1) if re.search(rf"\b{handler}\b", content)
        )
        api = api_for(project, route_to(name, line, handler, method))
        assert api.context.units, "the fixture's handler was not found"
        causes = RuleAnalyser([rule]).causes(api)
        return [tuple((e.line_start, e.line_end) for e in c.finding.evidence) for c in causes]

    return run


def unit_names(context: CodeContext) -> Sequence[tuple[str, str, int, int, int]]:
    """(name, file, first line, last line, depth) of each unit."""
    return [(u.name, u.file, u.line_start, u.line_end, u.depth) for u in context.units]
