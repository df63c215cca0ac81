"""An engine with the test job kinds, a short lease and fast polling."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from apiscope.jobs import ExecutorOptions, JobEngine
from apiscope.jobs.stores import open_store
from tests.jobkinds import registry

FAST = ExecutorOptions(
    concurrency=2, lease=timedelta(seconds=1.5), poll_interval=0.05, shutdown_grace=0.5
)


@pytest.fixture(params=["memory", "sqlite", "postgres"])
async def engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[JobEngine]:
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_url")
        await open_store(url).upgrade()
    else:
        url = "memory://" if request.param == "memory" else f"sqlite:///{tmp_path}/jobs.db"
    async with JobEngine(open_store(url), registry, options=FAST).running() as running:
        yield running
