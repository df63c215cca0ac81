"""Singulars and plurals behind Rails' `{magazine_id}` / `profiles#show` and Laravel's `{photo}`."""

from __future__ import annotations

import pytest

from apiscope.analysis.discovery.inflection import pluralize, singularize


@pytest.mark.parametrize(
    ("plural", "singular"),
    [
        ("magazines", "magazine"),
        ("categories", "category"),
        ("addresses", "address"),
        ("boxes", "box"),
        ("people", "person"),
        ("statuses", "status"),
        ("user_profiles", "user_profile"),
        ("news", "news"),
        ("causes", "cause"),
    ],
)
def test_singularize(plural: str, singular: str) -> None:
    """Regular, `-ies`, `-es`, irregular, uncountable and compound words singularise."""
    assert singularize(plural) == singular


@pytest.mark.parametrize(
    ("singular", "plural"),
    [
        ("profile", "profiles"),
        ("category", "categories"),
        ("match", "matches"),
        ("person", "people"),
        ("status", "statuses"),
        ("settings", "settings"),
        ("preferences", "preferences"),
        ("day", "days"),
    ],
)
def test_pluralize(singular: str, plural: str) -> None:
    """As ActiveSupport: words already ending in `s` stay, so `resource :settings` is served by
    `settings#show`."""
    assert pluralize(singular) == plural
