"""Whole fixture applications, one per JVM, Go and Rust framework, discovered as declared."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from apiscope.analysis.discovery import discover

FIXTURES = Path(__file__).parent.parent / "fixtures"
FRAMEWORKS = [
    "spring", "jaxrs", "ktor", "nethttp", "gin", "echo", "chi", "gorillamux", "actix", "axum",
]  # fmt: skip

Key = tuple[str, str, str, int, str, str]


def _key(route: dict[str, str | int]) -> Key:
    fields = ("method", "path", "file", "line", "handler", "framework")
    method, path, file, line, handler, framework = (route[f] for f in fields)
    return str(method), str(path), str(file), int(line), str(handler), str(framework)


def _report(found: set[Key], expected: set[Key]) -> str:
    hits = len(found & expected)
    recall = hits / len(expected) if expected else 1.0
    precision = hits / len(found) if found else 1.0
    lines = [f"recall {recall:.3f} precision {precision:.3f}"]
    lines += [f"missing {k}" for k in sorted(expected - found)]
    lines += [f"extra   {k}" for k in sorted(found - expected)]
    return "\n".join(lines)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_fixture_app_routes_match_expected(framework: str) -> None:
    """Every route of the fixture app is found with its method, path, file, line, handler and
    framework, and nothing else is (HTTP clients, Feign/Retrofit interfaces, tests)."""
    root = FIXTURES / framework
    found = {_key(r.to_json()) for r in discover(root).routes}
    expected = {_key(r) for r in json.loads((root / "expected.json").read_text())}
    assert found == expected, _report(found, expected)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_fixture_app_is_only_its_framework(framework: str) -> None:
    """A fixture exercises one framework: its expected routes all carry that framework's id, so
    the per-framework score above is that framework's recall and precision."""
    expected = json.loads((FIXTURES / framework / "expected.json").read_text())
    assert expected
    assert {r["framework"] for r in expected} == {framework}
