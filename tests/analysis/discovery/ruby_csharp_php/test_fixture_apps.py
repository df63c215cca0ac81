"""Whole fixture applications, one per framework, discovered exactly as declared.

Each `fixtures/<framework>/expected.json` was written by hand from the framework's routing
rules, with traps that must not count: test folders, HTTP clients, other DSLs sharing verbs.
"""

from __future__ import annotations

import pytest

from tests.analysis.discovery.accuracy import score

FRAMEWORKS = ["rails", "sinatra", "aspnetcore", "laravel", "symfony"]


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_fixture_app_routes_match_expected(framework: str) -> None:
    """Every route of the fixture app is found with its method, path, file, line and handler,
    and nothing else is (recall and precision both 1.0; the message lists any difference)."""
    result = score(framework)
    assert result.found == result.expected, result.report()


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_fixture_app_routes_belong_to_their_framework(framework: str) -> None:
    """Discoverers of the same language do not claim each other's routes (Laravel vs Symfony,
    Rails vs Sinatra): every route found in a fixture carries that fixture's framework id."""
    assert {key[5] for key in score(framework).found} == {framework}
