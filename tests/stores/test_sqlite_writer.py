"""Group commit in the SQLite store's writer: writes that queue up together share a transaction,
yet each one succeeds or fails on its own, and none is reported before it is committed."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from apiscope.errors import StoreError, StoreUnavailable
from apiscope.jobs.stores.sqlite import _translated
from apiscope.jobs.stores.sqlite_writer import GroupCommitWriter


class Database:
    """A file with one table, and the writer's own connection to it (2 s of patience)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn: sqlite3.Connection | None = None
        self.statements: list[str] = []
        """What the writer's connection ran, in order."""
        with sqlite3.connect(path) as setup:
            setup.execute("PRAGMA journal_mode = WAL")
            setup.execute("CREATE TABLE t (v INTEGER PRIMARY KEY)")
            setup.execute(
                "CREATE TABLE child (parent INTEGER REFERENCES t (v) DEFERRABLE INITIALLY DEFERRED)"
            )

    def connect(self) -> sqlite3.Connection:
        if self.conn is None:
            self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self.conn.execute("PRAGMA busy_timeout = 200")
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.set_trace_callback(self.statements.append)
        return self.conn

    def translate(self) -> contextlib.AbstractContextManager[None]:
        return _translated(self.path)

    def values(self) -> list[int]:
        """What another connection sees: only what was committed."""
        with contextlib.closing(sqlite3.connect(self.path)) as reader:
            return [v for (v,) in reader.execute("SELECT v FROM t ORDER BY v")]


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[tuple[Database, GroupCommitWriter]]:
    database = Database(tmp_path / "w.db")
    writer = GroupCommitWriter(database.connect, database.translate)
    yield database, writer
    await writer.stop()


def insert(value: int) -> Callable[[sqlite3.Connection], int]:
    def run(conn: sqlite3.Connection) -> int:
        conn.execute("INSERT INTO t VALUES (?)", (value,))
        return value

    return run


class Held:
    """A write that keeps the writer thread busy until released, so the next writes queue up
    behind it and are committed as one batch."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()

    def __call__(self, conn: sqlite3.Connection) -> None:
        self.started.set()
        self.release.wait(5)


async def test_a_batch_commits_every_write_but_the_one_that_raised(
    db: tuple[Database, GroupCommitWriter],
) -> None:
    """Ten writes queued together share one transaction: nine are committed, the failing one is
    rolled back alone (its own insert too) and only its caller gets the error."""
    database, writer = db

    def insert_then_fail(conn: sqlite3.Connection) -> int:
        conn.execute("INSERT INTO t VALUES (100)")
        raise ValueError("this write fails after writing")

    held = Held()
    holding = asyncio.ensure_future(writer.write(held))
    await asyncio.to_thread(held.started.wait, 5)
    writes = [writer.write(insert(v)) for v in range(1, 6)]
    writes += [writer.write(insert_then_fail)]
    writes += [writer.write(insert(v)) for v in range(6, 10)]
    tasks = [asyncio.ensure_future(w) for w in writes]
    await asyncio.sleep(0.05)  # every write is queued behind the held one
    held.release.set()
    outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    await holding
    assert [o for o in outcomes if isinstance(o, int)] == list(range(1, 10))
    assert isinstance(outcomes[5], ValueError)
    assert database.values() == list(range(1, 10))
    assert database.statements.count("COMMIT") == 2  # the held write's, then the batch's
    assert database.statements.count("SAVEPOINT write") == 11


async def test_a_write_is_committed_when_its_caller_hears_of_it(
    db: tuple[Database, GroupCommitWriter],
) -> None:
    """Another connection sees each acknowledged write at once: the answer follows the COMMIT."""
    database, writer = db
    for value in range(1, 6):
        await writer.write(insert(value))
        assert database.values()[-1] == value


async def test_a_locked_database_fails_the_whole_batch_and_writes_resume_after(
    db: tuple[Database, GroupCommitWriter],
) -> None:
    """While another process holds the write lock past the busy timeout, every queued write
    fails as StoreUnavailable, nothing is half-written, and the next writes go through."""
    database, writer = db
    with contextlib.closing(sqlite3.connect(database.path, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")
        outcomes = await asyncio.gather(
            *(writer.write(insert(v)) for v in (1, 2, 3)),
            return_exceptions=True,
        )
        other.execute("ROLLBACK")
    assert all(isinstance(o, StoreUnavailable) for o in outcomes)
    assert await writer.write(insert(4)) == 4
    assert database.values() == [4]


async def test_stop_finishes_the_writes_already_queued(
    db: tuple[Database, GroupCommitWriter],
) -> None:
    """Writes queued before `stop` are committed; the thread then ends."""
    database, writer = db
    pending = [asyncio.ensure_future(writer.write(insert(v))) for v in range(1, 4)]
    await asyncio.sleep(0)
    await writer.stop()
    assert await asyncio.gather(*pending) == [1, 2, 3]
    assert database.values() == [1, 2, 3]


async def test_a_failed_commit_fails_its_batch_and_the_next_writes_go_through(
    db: tuple[Database, GroupCommitWriter],
) -> None:
    """A COMMIT that fails (a deferred foreign key with no parent) leaves SQLite's transaction
    open: the writer rolls it back, so its batch fails as a whole and later writes work."""
    database, writer = db

    def orphan(conn: sqlite3.Connection) -> int:
        conn.execute("INSERT INTO child VALUES (999)")
        return 0

    with pytest.raises(StoreError, match="FOREIGN KEY"):
        await writer.write(orphan)
    assert await writer.write(insert(7)) == 7
    assert database.values() == [7]
