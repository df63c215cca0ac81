"""What only the SQLite store has: a file, WAL, migrations, other processes on the same file."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from apiscope.errors import ConfigurationError, StoreError
from apiscope.jobs.stores import open_store
from apiscope.jobs.stores.sqlite import SQLiteStore
from tests.conftest import FakeClock
from tests.stores.test_contract import LEASE, new_job


async def test_open_creates_the_folder_and_uses_wal(tmp_path: Path) -> None:
    """A fresh path gets its folders, the schema, and WAL journaling."""
    store = SQLiteStore(tmp_path / "a" / "b" / "jobs.db")
    await store.open()
    await store.close()
    conn = sqlite3.connect(tmp_path / "a" / "b" / "jobs.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] >= 1


async def test_reopening_keeps_jobs_and_does_not_migrate_twice(
    tmp_path: Path, clock: FakeClock
) -> None:
    """Jobs survive a restart; migrations already applied are skipped."""
    store = SQLiteStore(tmp_path / "jobs.db", clock=clock)
    await store.open()
    job, _ = await store.submit(new_job(clock))
    await store.close()
    again = SQLiteStore(tmp_path / "jobs.db", clock=clock)
    await again.open()
    assert (await again.get(job.id)).id == job.id
    await again.close()


async def test_a_corrupt_file_is_a_store_error(tmp_path: Path) -> None:
    """A file that is not a database is refused with a message naming it."""
    path = tmp_path / "jobs.db"
    path.write_bytes(b"this is not a database" * 100)
    store = SQLiteStore(path)
    with pytest.raises(StoreError, match=r"jobs\.db"):
        await store.open()
    await store.close()


async def test_an_unwritable_folder_is_a_store_error(tmp_path: Path) -> None:
    """A path whose folder cannot be created is refused."""
    blocker = tmp_path / "file"
    blocker.write_text("")
    store = SQLiteStore(blocker / "jobs.db")
    with pytest.raises(StoreError, match="cannot create"):
        await store.open()
    await store.close()


def test_store_urls(tmp_path: Path) -> None:
    """sqlite:/// takes relative and absolute paths; other schemes are explained."""
    assert isinstance(open_store(f"sqlite:///{tmp_path}/x.db"), SQLiteStore)
    assert open_store("sqlite:///./rel/x.db").path == Path("rel/x.db")  # type: ignore[attr-defined]
    for bad in ("sqlite:///", "sqlite:///:memory:", "redis://localhost", "nonsense"):
        with pytest.raises(ConfigurationError):
            open_store(bad)


async def test_two_stores_on_one_file_never_claim_the_same_job(
    tmp_path: Path, clock: FakeClock
) -> None:
    """Two stores on one file (as two processes): BEGIN IMMEDIATE keeps claims exclusive."""
    first = SQLiteStore(tmp_path / "jobs.db", clock=clock)
    second = SQLiteStore(tmp_path / "jobs.db", clock=clock)
    await first.open()
    await second.open()
    ids = {(await first.submit(new_job(clock)))[0].id for _ in range(40)}

    async def drain(store: SQLiteStore) -> list[str]:
        got = []
        while batch := await store.claim(
            worker_id="w", kinds=["k"], limit=2, lease_until=clock() + LEASE
        ):
            got += [c.job.id for c in batch]
        return got

    a, b = await asyncio.gather(drain(first), drain(second))
    assert sorted(a + b) == sorted(ids) and not set(a) & set(b)
    await first.close()
    await second.close()


async def test_retention_comes_from_the_url_factory(tmp_path: Path, clock: FakeClock) -> None:
    """The retention passed to open_store decides when a finished job expires."""
    store = open_store(f"sqlite:///{tmp_path}/x.db", retention=timedelta(minutes=2), clock=clock)
    await store.open()
    await store.submit(new_job(clock))
    [c] = await store.claim(worker_id="w", kinds=["k"], limit=1, lease_until=clock() + LEASE)
    done = await store.complete(c.job.id, c.lease_token, None)
    assert done.expires_at == clock() + timedelta(minutes=2)
    await store.close()
