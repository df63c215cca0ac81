"""The store backends the contract suite runs against; later backends add a param here."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from apiscope.jobs.stores import JobStore
from apiscope.jobs.stores.memory import MemoryStore
from apiscope.jobs.stores.postgres import PostgresStore
from apiscope.jobs.stores.sqlite import SQLiteStore
from tests.aws.moto_server import dynamodb_url, moto_bucket, moto_endpoint
from tests.conftest import FakeClock

RETENTION = timedelta(hours=1)


__all__ = ["moto_bucket", "moto_endpoint"]  # fixtures the dynamodb backend uses


@pytest.fixture(params=["memory", "sqlite", "postgres", "dynamodb"])
async def store(
    request: pytest.FixtureRequest, clock: FakeClock, tmp_path: Path
) -> AsyncIterator[JobStore]:
    backend: JobStore
    if request.param == "memory":
        backend = MemoryStore(retention=RETENTION, clock=clock)
    elif request.param == "sqlite":
        backend = SQLiteStore(tmp_path / "jobs.db", retention=RETENTION, clock=clock)
    elif request.param == "dynamodb":
        from apiscope.jobs.stores.dynamodb import DynamoDBStore

        endpoint = request.getfixturevalue("moto_endpoint")
        url = dynamodb_url(endpoint, request.getfixturevalue("moto_bucket"))
        backend = DynamoDBStore.from_url(url, retention=RETENTION, clock=clock)
        await backend.upgrade()
    else:
        url = request.getfixturevalue("postgres_url")
        backend = PostgresStore(url, retention=RETENTION, clock=clock)
        await backend.upgrade()
    await backend.open()
    yield backend
    await backend.close()


@pytest.fixture(params=["sqlite", "postgres", "dynamodb"])
async def two_processes(
    request: pytest.FixtureRequest, clock: FakeClock, tmp_path: Path
) -> AsyncIterator[tuple[JobStore, JobStore]]:
    """Two store instances on the same storage, as two processes of one deployment have: each
    may remember what it last saw, and must not trust it over the other's writes."""
    if request.param == "sqlite":
        pair: list[JobStore] = [
            SQLiteStore(tmp_path / "jobs.db", retention=RETENTION, clock=clock) for _ in range(2)
        ]
    elif request.param == "dynamodb":
        from apiscope.jobs.stores.dynamodb import DynamoDBStore

        endpoint = request.getfixturevalue("moto_endpoint")
        url = dynamodb_url(endpoint, request.getfixturevalue("moto_bucket"))
        pair = [DynamoDBStore.from_url(url, retention=RETENTION, clock=clock) for _ in range(2)]
    else:
        url = request.getfixturevalue("postgres_url")
        pair = [PostgresStore(url, retention=RETENTION, clock=clock) for _ in range(2)]
    await pair[0].upgrade()
    for backend in pair:
        await backend.open()
    yield pair[0], pair[1]
    for backend in pair:
        await backend.close()
