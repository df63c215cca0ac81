"""Whole fixture applications, one per JS/TS framework, discovered exactly as declared."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

from apiscope.analysis.discovery import discover

FIXTURES = Path(__file__).parent.parent / "fixtures"
FIELDS = ("method", "path", "file", "line", "handler", "framework")


def _keys(routes: Iterable[Mapping[str, object]]) -> set[tuple[object, ...]]:
    return {tuple(route[f] for f in FIELDS) for route in routes}


@pytest.mark.parametrize("framework", ["express", "koa", "fastify", "nestjs", "nextjs"])
def test_fixture_app_routes_match_expected(framework: str) -> None:
    """Every route of the fixture app is found with its method, full path, file, line and
    handler, and nothing else is (HTTP clients, maps, tests, look-alike decorators)."""
    root = FIXTURES / framework
    expected = _keys(json.loads((root / "expected.json").read_text(encoding="utf-8")))
    found = _keys([route.to_json() for route in discover(root).routes])
    hits = len(found & expected)
    report = [f"recall {hits / len(expected):.3f} precision {hits / max(len(found), 1):.3f}"]
    report += [f"missing {k}" for k in sorted(expected - found, key=str)]
    report += [f"extra   {k}" for k in sorted(found - expected, key=str)]
    assert found == expected, "\n".join(report)
