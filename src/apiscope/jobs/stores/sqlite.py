"""The embedded default store: one SQLite file in WAL mode.

Why not aiosqlite: a transition is a read-check-write that must be atomic, and running the whole
transaction as one function on a dedicated writer thread costs one thread hop instead of four.
Writes go through that single thread (SQLite allows one writer anyway) under `BEGIN IMMEDIATE`,
which also serialises writers in other processes (`apiscope jobs cancel` beside `apiscope serve`);
reads use their own connections on a small pool, so status requests never wait behind writes.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sqlite3
import threading
import uuid
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar

from apiscope.errors import (
    ConfigurationError,
    IdempotencyConflict,
    JobExpired,
    JobNotFound,
    StoreError,
    StoreUnavailable,
)
from apiscope.jobs import transitions
from apiscope.jobs.clock import Clock, utcnow
from apiscope.jobs.model import (
    Claimed,
    Job,
    JobPage,
    JobStatus,
    JsonValue,
    NewJob,
    ProgressUpdate,
    StepState,
    StoreStats,
)
from apiscope.jobs.stores.base import TOMBSTONE_RETENTION
from apiscope.jobs.stores.codec import COLUMNS, SQLITE, dumps, to_epoch
from apiscope.jobs.stores.guarded import Change, GuardedTransitions
from apiscope.jobs.stores.migrations import migrations, statements
from apiscope.jobs.stores.paging import decode_cursor, encode_cursor
from apiscope.jobs.stores.sqlite_writer import GroupCommitWriter

T = TypeVar("T")
PURGE_BATCH = 500
_INSERT = f"INSERT INTO jobs ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"


@contextlib.contextmanager
def _translated(path: Path) -> Iterator[None]:
    """Turn sqlite3's errors into the apiscope tree, naming the file."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise StoreUnavailable(f"SQLite store {path} is busy: {exc}") from exc
        raise StoreError(f"SQLite store {path}: {exc}") from exc
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"SQLite store {path} is unusable: {exc}") from exc


class SQLiteStore(GuardedTransitions):
    """A `JobStore` in one SQLite file."""

    def __init__(
        self, path: Path, *, retention: timedelta = timedelta(days=7), clock: Clock = utcnow
    ) -> None:
        self.path = path
        self.url = f"sqlite:///{path}"
        self._retention = retention
        self._clock = clock
        self._writer = GroupCommitWriter(self._connection, lambda: _translated(path))
        self._readers = ThreadPoolExecutor(2, thread_name_prefix="apiscope-sqlite-reader")
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    @classmethod
    def from_url(cls, url: str, *, retention: timedelta, clock: Clock) -> SQLiteStore:
        """`sqlite:///relative/file.db` or `sqlite:////absolute/file.db`."""
        path = url.removeprefix("sqlite:///")
        if not path or path == url or path.startswith(":memory:"):
            raise ConfigurationError(f"SQLite store URL needs a file path: {url!r}")
        return cls(Path(path), retention=retention, clock=clock)

    # -- connections and threads ------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA busy_timeout = 5000")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    async def _read(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        def run() -> T:
            with _translated(self.path):
                return fn(self._connection())

        return await asyncio.get_running_loop().run_in_executor(self._readers, run)

    async def _write(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run `fn` in a write transaction on the writer thread (committed with the writes
        that queued up beside it: see sqlite_writer)."""
        return await self._writer.write(fn)

    async def open(self) -> None:
        """Create the folder and file, switch to WAL, apply pending migrations."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the store folder {self.path.parent}: {exc}") from exc
        # journal_mode cannot change inside a transaction; it persists in the file once set.
        await self._writer.run_alone(
            lambda conn: conn.execute("PRAGMA journal_mode = WAL").fetchone()
        )
        await self._write(self._migrate)

    async def upgrade(self) -> None:
        """Apply pending migrations (`open` does it too: the embedded store needs no step)."""
        await self.open()

    def _migrate(self, conn: sqlite3.Connection) -> None:
        current = conn.execute("PRAGMA user_version").fetchone()[0]
        for version, script in migrations("sqlite"):
            if version > current:
                for statement in statements(script):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {version:d}")

    async def close(self) -> None:
        """Stop the threads (the writer after the writes already queued), then close every
        connection: no thread uses them any more."""
        await self._writer.stop()
        self._readers.shutdown(wait=True)
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()

    # -- reads ----------------------------------------------------------------------------------

    def _select(self, conn: sqlite3.Connection, job_id: str) -> Job:
        row = conn.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if row is not None:
            return transitions.ensure_not_expired(SQLITE.from_row(row), self._clock())
        if conn.execute("SELECT 1 FROM expired_jobs WHERE id = ?", (job_id,)).fetchone():
            raise JobExpired("Job expired", job_id)
        raise JobNotFound("Job not found", job_id)

    async def get(self, job_id: str) -> Job:
        return await self._read(lambda conn: self._select(conn, job_id))

    async def list_jobs(
        self,
        *,
        owner: str | None,
        limit: int,
        cursor: str | None = None,
        status: JobStatus | None = None,
        kind: str | None = None,
    ) -> JobPage:
        where: list[str] = ["(expires_at IS NULL OR expires_at > ?)"]
        args: list[object] = [to_epoch(self._clock())]
        for column, value in (("owner", owner), ("status", status), ("kind", kind)):
            if value is not None:
                where.append(f"{column} = ?")
                args.append(value)
        if cursor:
            created, job_id = decode_cursor(cursor)
            where.append("(created_at, id) < (?, ?)")
            args += [to_epoch(created), job_id]
        sql = (
            f"SELECT * FROM jobs WHERE {' AND '.join(where)} "
            "ORDER BY created_at DESC, id DESC LIMIT ?"
        )
        rows = await self._read(lambda conn: conn.execute(sql, [*args, limit + 1]).fetchall())
        jobs = tuple(SQLITE.from_row(r) for r in rows[:limit])
        return JobPage(jobs, encode_cursor(jobs[-1]) if len(rows) > limit else None)

    async def load_checkpoints(self, job_id: str) -> dict[str, JsonValue]:
        rows = await self._read(
            lambda conn: conn.execute(
                "SELECT step, output FROM job_checkpoints WHERE job_id = ?", (job_id,)
            ).fetchall()
        )
        return {r["step"]: json.loads(r["output"]) for r in rows}

    async def stats(self) -> StoreStats:
        now = to_epoch(self._clock())

        def count(conn: sqlite3.Connection) -> StoreStats:
            rows = conn.execute("SELECT status, count(*) FROM jobs GROUP BY status").fetchall()
            due = conn.execute(
                "SELECT count(*) FROM jobs WHERE status = 'pending' AND run_at <= ?", (now,)
            ).fetchone()[0]
            by_status = dict.fromkeys(JobStatus, 0) | {JobStatus(s): n for s, n in rows}
            return StoreStats(by_status, due)

        return await self._read(count)

    # -- transitions ----------------------------------------------------------------------------

    @staticmethod
    def _update(conn: sqlite3.Connection, before: Job, after: Job) -> Job:
        columns = SQLITE.changed(before, after)
        if columns:
            assignments = ", ".join(f"{c} = ?" for c in columns)
            conn.execute(
                f"UPDATE jobs SET {assignments} WHERE id = ?", [*columns.values(), after.id]
            )
        return after

    async def _transition(self, job_id: str, change: Change) -> Job:
        def run(conn: sqlite3.Connection) -> Job:
            before = self._select(conn, job_id)
            return self._update(conn, before, change(before, self._clock()))

        return await self._write(run)

    async def submit(self, new: NewJob) -> tuple[Job, bool]:
        def run(conn: sqlite3.Connection) -> tuple[Job, bool]:
            if new.idempotency_key is not None:
                row = conn.execute(
                    "SELECT * FROM jobs WHERE coalesce(owner, '') = ? AND idempotency_key = ?",
                    (new.owner or "", new.idempotency_key),
                ).fetchone()
                if row is not None:
                    existing = SQLITE.from_row(row)
                    if existing.fingerprint != new.fingerprint:
                        raise IdempotencyConflict(
                            "Idempotency-Key already used for a different request", existing.id
                        )
                    return existing, False
            job = transitions.created(new)
            conn.execute(_INSERT, list(SQLITE.to_row(job).values()))
            return job, True

        return await self._write(run)

    async def claim(
        self, *, worker_id: str, kinds: Collection[str], limit: int, lease_until: datetime
    ) -> list[Claimed]:
        kinds = list(kinds)
        if not kinds or limit <= 0:
            return []
        token = uuid.uuid4().hex

        def run(conn: sqlite3.Connection) -> list[Claimed]:
            now = self._clock()
            rows = conn.execute(
                "SELECT * FROM jobs WHERE status = 'pending' AND run_at <= ? "
                f"AND kind IN ({', '.join('?' * len(kinds))}) "
                "ORDER BY run_at, created_at LIMIT ?",
                [to_epoch(now), *kinds, limit],
            ).fetchall()
            return [
                Claimed(
                    self._update(conn, job, transitions.claimed(job, token, now, lease_until)),
                    token,
                )
                for job in map(SQLITE.from_row, rows)
            ]

        return await self._write(run)

    async def save_checkpoint(
        self,
        job_id: str,
        token: str,
        step: str,
        output: JsonValue,
        steps: tuple[StepState, ...],
        progress: int,
    ) -> Job:
        stored = dumps(output)

        def run(conn: sqlite3.Connection) -> Job:
            before = self._select(conn, job_id)
            after = transitions.progressed(
                before, token, self._clock(), ProgressUpdate(progress, steps=steps)
            )
            conn.execute(
                "INSERT OR REPLACE INTO job_checkpoints (job_id, step, output) VALUES (?, ?, ?)",
                (job_id, step, stored),
            )
            return self._update(conn, before, after)

        return await self._write(run)

    async def rescue(self) -> list[Job]:
        def run(conn: sqlite3.Connection) -> list[Job]:
            now = self._clock()
            rows = conn.execute(
                "SELECT * FROM jobs WHERE status = 'processing' AND lease_expires_at < ?",
                (to_epoch(now),),
            ).fetchall()
            return [
                self._update(conn, job, transitions.rescued(job, now, self._retention))
                for job in map(SQLITE.from_row, rows)
            ]

        return await self._write(run)

    async def purge(self) -> int:
        def run(conn: sqlite3.Connection) -> int:
            now = to_epoch(self._clock())
            assert now is not None
            ids = [
                r[0]
                for r in conn.execute(
                    "SELECT id FROM jobs WHERE expires_at <= ? LIMIT ?", (now, PURGE_BATCH)
                )
            ]
            conn.executemany(
                "INSERT OR REPLACE INTO expired_jobs (id, expired_at) VALUES (?, ?)",
                [(i, now) for i in ids],
            )
            conn.executemany("DELETE FROM jobs WHERE id = ?", [(i,) for i in ids])
            conn.execute(
                "DELETE FROM expired_jobs WHERE expired_at <= ?",
                (now - TOMBSTONE_RETENTION.total_seconds(),),
            )
            return len(ids)

        return await self._write(run)
