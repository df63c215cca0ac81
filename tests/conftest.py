"""Shared fixtures: a controllable clock, store backends, and servers on loopback."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

IN_CI = bool(os.environ.get("CI"))


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(autouse=True, scope="session")
def _isolated_repo_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Repositories fetched by tests (and by servers they start) never land in ~/.cache."""
    previous = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if previous is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = previous


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A PostgreSQL store URL on a fresh schema of its own, dropped after the test."""
    from tests.postgres import fresh_schema_url

    yield from fresh_schema_url()


def skip_or_fail(reason: str) -> None:
    """Skip on a developer's machine without the service; fail in CI, which must have it."""
    if IN_CI:
        pytest.fail(f"{reason} (CI must provide it)")
    pytest.skip(reason)
