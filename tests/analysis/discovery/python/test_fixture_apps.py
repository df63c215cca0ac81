"""Whole fixture applications, one per Python framework, discovered exactly as declared."""

from __future__ import annotations

import pytest

from tests.analysis.discovery.accuracy import score


@pytest.mark.parametrize("framework", ["fastapi", "flask", "django", "starlette", "aiohttp"])
def test_fixture_app_routes_match_expected(framework: str) -> None:
    """Every route of the fixture app is found with its method, path, file, line and handler,
    and nothing else is (test clients, `requests.get`, test-only apps)."""
    result = score(framework)
    assert result.found == result.expected, result.report()
