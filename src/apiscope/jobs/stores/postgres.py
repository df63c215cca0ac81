"""The PostgreSQL store: `apiscope worker` processes on many machines over one database.

Claims use `FOR UPDATE SKIP LOCKED`, so workers never wait on each other's rows. Every other
transition applies the shared pure transition to the job as this process last saw it and writes
the result in one statement guarded by that snapshot's version and lease (`postgres_writes`);
when another write came first, it locks the row, reads it and applies the transition again.
Each write carries its NOTIFYs: workers wake when jobs become due, and one LISTEN connection per
API process fans changes out to all its SSE watchers. Connections run in autocommit, with a
pipelined transaction only where a write needs a lock held across statements. Times come from
the caller's clock, so the machines' clocks must agree (NTP) to within a small part of the lease.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Collection
from datetime import datetime, timedelta
from typing import TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg import sql
from psycopg.rows import DictRow, dict_row
from psycopg.types.json import Jsonb
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from apiscope.errors import (
    ConfigurationError,
    IdempotencyConflict,
    JobError,
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
from apiscope.jobs.stores.codec import RowCodec, from_epoch, to_epoch
from apiscope.jobs.stores.guarded import Change, GuardedTransitions
from apiscope.jobs.stores.migrations import (
    latest_version,
    migrations,
    named_queries,
    statements,
)
from apiscope.jobs.stores.paging import decode_cursor, encode_cursor
from apiscope.jobs.stores.postgres_snapshots import Snapshots
from apiscope.jobs.stores.postgres_writes import INSERT, Notes, guarded_update, update_params

T = TypeVar("T")
Conn = psycopg.AsyncConnection[DictRow]
log = logging.getLogger("apiscope.jobs.postgres")
CODEC = RowCodec(encode_json=Jsonb)
PURGE_BATCH = 500
Q = named_queries("postgres_queries.sql")
MIGRATION_LOCK = 0x61706973  # "apis": one migrator at a time


def _split_url(url: str) -> tuple[str, str]:
    """The libpq URL without our `schema` parameter, and the schema (default `public`)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    schema = query.pop("schema", "public")
    if not schema.isidentifier():
        raise ConfigurationError(f"invalid schema name in store URL: {schema!r}")
    return urlunsplit(parts._replace(query=urlencode(query))), schema


class PostgresStore(GuardedTransitions):
    """A `JobStore` (and `ChangeNotifier`) on PostgreSQL, through a psycopg 3 connection pool."""

    def __init__(
        self,
        url: str,
        *,
        retention: timedelta = timedelta(days=7),
        clock: Clock = utcnow,
        pool_size: int = 10,
    ) -> None:
        self._conninfo, self.schema = _split_url(url)
        parts = urlsplit(url)
        self.url = urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
        self._retention = retention
        self._clock = clock
        self._due_channel = f"apiscope_due_{self.schema}"
        self._change_channel = f"apiscope_changes_{self.schema}"
        self._snapshots = Snapshots()
        self._pool: AsyncConnectionPool[Conn] = AsyncConnectionPool(
            self._conninfo,
            min_size=1,
            max_size=pool_size,
            open=False,
            kwargs={
                "autocommit": True,  # one-statement writes and reads need no BEGIN and COMMIT
                "row_factory": dict_row,
                "options": f"-c search_path={self.schema}",
            },
            name="apiscope",
            connection_class=psycopg.AsyncConnection,  # rows are dicts: see `kwargs`
        )

    # -- connections ----------------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def _translated(self) -> AsyncIterator[None]:
        try:
            yield
        except (psycopg.Error, PoolTimeout) as exc:
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                # psycopg answers a cancelled await by cancelling the query: stay cancelled.
                raise asyncio.CancelledError from exc
            if not isinstance(exc, psycopg.OperationalError | PoolTimeout):
                raise StoreError(f"PostgreSQL store {self.url}: {exc}") from exc
            raise StoreUnavailable(f"PostgreSQL store {self.url} is unreachable: {exc}") from exc

    @contextlib.asynccontextmanager
    async def _connection(self) -> AsyncIterator[Conn]:
        """A pooled connection, its errors turned into the apiscope tree."""
        async with self._translated(), self._pool.connection() as conn:
            yield conn

    async def _tx(self, fn: Callable[[Conn], Awaitable[T]]) -> T:
        """Run `fn` in one transaction on a pooled connection, pipelined: BEGIN travels with
        `fn`'s first read, and the writes whose results `fn` does not read with the COMMIT.
        (psycopg's `transaction()` would wait for its BEGIN and COMMIT on their own.)"""
        async with self._connection() as conn:
            try:
                async with conn.pipeline():
                    await conn.execute(b"BEGIN")
                    result = await fn(conn)
                    await conn.execute(b"COMMIT")
            except BaseException:
                with contextlib.suppress(psycopg.Error):
                    await conn.rollback()
                raise
            return result

    async def _connect(self) -> Conn:
        return await psycopg.AsyncConnection.connect(
            self._conninfo,
            autocommit=True,
            row_factory=dict_row,
            options=f"-c search_path={self.schema}",
        )

    async def upgrade(self) -> None:
        """Create the schema if needed and apply pending migrations, one migrator at a time."""
        async with self._translated(), await self._connect() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            await conn.execute(
                sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(self.schema))
            )
            await conn.execute(Q["create_migrations"])
            current = await self._version(conn)
            for version, script in migrations("postgres"):
                if version > current:
                    for statement in statements(script):
                        await conn.execute(statement.encode())
                    await conn.execute(Q["record_migration"], (version,))
                    log.info("applied migration %04d to %s", version, self.url)

    @staticmethod
    async def _version(conn: Conn) -> int:
        """The schema's version; 0 before the first migration."""
        present = await (await conn.execute(Q["has_migrations"])).fetchone()
        if not present or not present["present"]:
            return 0
        row = await (await conn.execute(Q["schema_version"])).fetchone()
        return int(row["v"]) if row else 0

    async def open(self) -> None:
        """Open the pool and check the schema is current."""
        async with self._translated():
            await self._pool.open(wait=True, timeout=10)
            async with self._pool.connection() as conn:
                current = await self._version(conn)
        wanted = latest_version("postgres")
        if current < wanted:
            await self.close()
            raise StoreError(
                f"the PostgreSQL schema is at version {current}, this apiscope needs {wanted}: "
                "run `apiscope db upgrade`"
            )

    async def close(self) -> None:
        """Close the pool."""
        await self._pool.close()

    # -- notifications --------------------------------------------------------------------------

    def _notes(self, before: Job | None, after: Job) -> Notes:
        """What a write tells other processes: a visible change, for API processes' watchers;
        a job that became pending, for the workers. A new job is no change to anyone, since no
        one can watch it before its id is returned."""
        channels, payloads = [], []
        if before is not None and after.version != before.version:
            channels.append(self._change_channel)
            payloads.append(after.id)
        if after.status is JobStatus.PENDING and (
            before is None or before.status is not JobStatus.PENDING
        ):
            channels.append(self._due_channel)
            payloads.append(str(to_epoch(after.run_at)))
        return channels, payloads

    async def listen(
        self,
        on_due: Callable[[datetime | None], None],
        on_changed: Callable[[str], None],
        on_reconnect: Callable[[], None],
    ) -> None:
        """Deliver this database's job notifications until cancelled, reconnecting on failure."""
        delay = 0.5
        while True:
            try:
                async with await self._connect() as conn:
                    for channel in (self._due_channel, self._change_channel):
                        await conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
                    delay = 0.5
                    on_due(None)  # anything that became due while we were not listening
                    on_reconnect()
                    async for note in conn.notifies():
                        if note.channel == self._due_channel:
                            on_due(from_epoch(float(note.payload)))
                        else:
                            on_changed(note.payload)
            except psycopg.Error as exc:
                log.warning("lost the LISTEN connection (%s); reconnecting in %.1f s", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)

    # -- reads ----------------------------------------------------------------------------------

    async def _select(self, conn: Conn, job_id: str, *, lock: bool) -> Job:
        query = Q["lock_job"] if lock else Q["select_job"]
        row = await (await conn.execute(query, (job_id,))).fetchone()
        if row is not None:
            job = CODEC.from_row(row)
            self._snapshots.remember(job)
            return transitions.ensure_not_expired(job, self._clock())
        gone = await conn.execute(Q["is_expired"], (job_id,))
        if await gone.fetchone():
            raise JobExpired("Job expired", job_id)
        raise JobNotFound("Job not found", job_id)

    async def get(self, job_id: str) -> Job:
        async with self._connection() as conn:
            return await self._select(conn, job_id, lock=False)

    async def list_jobs(
        self,
        *,
        owner: str | None,
        limit: int,
        cursor: str | None = None,
        status: JobStatus | None = None,
        kind: str | None = None,
    ) -> JobPage:
        where = ["(expires_at IS NULL OR expires_at > %s)"]
        args: list[object] = [self._clock()]
        for column, value in (("owner", owner), ("status", status), ("kind", kind)):
            if value is not None:
                where.append(f"{column} = %s")
                args.append(str(value))
        if cursor:
            where.append("(created_at, id) < (%s, %s)")
            args += list(decode_cursor(cursor))
        query = (
            f"SELECT * FROM apiscope_jobs WHERE {' AND '.join(where)}"
            " ORDER BY created_at DESC, id DESC LIMIT %s"
        )
        async with self._connection() as conn:
            rows = await (await conn.execute(query.encode(), [*args, limit + 1])).fetchall()
        jobs = tuple(CODEC.from_row(r) for r in rows[:limit])
        return JobPage(jobs, encode_cursor(jobs[-1]) if len(rows) > limit else None)

    async def load_checkpoints(self, job_id: str) -> dict[str, JsonValue]:
        async with self._connection() as conn:
            rows = await (await conn.execute(Q["load_checkpoints"], (job_id,))).fetchall()
        return {r["step"]: r["output"] for r in rows}

    async def stats(self) -> StoreStats:
        async with self._connection() as conn:
            rows = await (await conn.execute(Q["count_by_status"])).fetchall()
            due = await (await conn.execute(Q["count_due"], (self._clock(),))).fetchone()
        by_status = dict.fromkeys(JobStatus, 0) | {JobStatus(r["status"]): r["n"] for r in rows}
        return StoreStats(by_status, int(due["n"]) if due else 0)

    # -- transitions ----------------------------------------------------------------------------

    async def _save(self, conn: Conn, before: Job, after: Job) -> Job:
        """Queue the write of `after` over `before` (its row locked by this transaction)."""
        changed = CODEC.changed(before, after)
        if changed:
            params = update_params(before, after, changed, self._notes(before, after))
            await conn.execute(guarded_update(tuple(changed)), params)
        self._snapshots.remember(after)
        return after

    async def _transition(self, job_id: str, change: Change) -> Job:
        known = self._snapshots.get(job_id)
        after = None if known is None else await self._optimistic(known, change)
        if after is not None:
            return after

        async def run(conn: Conn) -> Job:
            before = await self._select(conn, job_id, lock=True)
            return await self._save(conn, before, change(before, self._clock()))

        return await self._tx(run)

    async def _optimistic(self, known: Job, change: Change) -> Job | None:
        """`change` applied to the job as this process last saw it and written in one statement
        if no other write came between; None when only the stored row can tell the outcome
        (the snapshot refuses the change, or leaves it as it is, or is stale)."""
        now = self._clock()
        try:
            after = change(transitions.ensure_not_expired(known, now), now)
        except JobError:
            return None
        changed = CODEC.changed(known, after)
        if not changed:
            return None
        params = update_params(known, after, changed, self._notes(known, after))
        async with self._connection() as conn:
            row = await (await conn.execute(guarded_update(tuple(changed)), params)).fetchone()
        if row is None or not row["written"]:
            self._snapshots.forget(known.id)
            return None
        self._snapshots.remember(after)
        return after

    async def submit(self, new: NewJob) -> tuple[Job, bool]:
        job = transitions.created(new)
        params = [*CODEC.to_row(job).values(), *self._notes(None, job)]
        async with self._connection() as conn:
            inserted = await (await conn.execute(INSERT, params)).fetchone()
            if inserted is not None and inserted["written"]:
                return job, True
            existing = await self._idempotent(conn, new)
        if existing.fingerprint != new.fingerprint:
            raise IdempotencyConflict(
                "Idempotency-Key already used for a different request", existing.id
            )
        return existing, False

    async def _idempotent(self, conn: Conn, new: NewJob) -> Job:
        key = (new.owner or "", new.idempotency_key)
        cursor = await conn.execute(Q["select_idempotent"], key)
        row = await cursor.fetchone()
        if row is None:
            raise StoreError(f"job {new.id} conflicts with an existing job")
        return CODEC.from_row(row)

    async def claim(
        self, *, worker_id: str, kinds: Collection[str], limit: int, lease_until: datetime
    ) -> list[Claimed]:
        if not kinds or limit <= 0:
            return []
        token, now = uuid.uuid4().hex, self._clock()
        due = {"now": now, "kinds": list(kinds), "limit": limit, "token": token}
        due |= {"lease_until": lease_until, "changes": self._change_channel}
        async with self._connection() as conn:
            rows = await (await conn.execute(Q["claim_due"], due)).fetchall()
        jobs = [_checked_claim(row, token, now, lease_until) for row in rows]
        jobs.sort(key=lambda job: (job.run_at, job.created_at))
        for job in jobs:
            self._snapshots.remember(job)
        return [Claimed(job, token) for job in jobs]

    async def save_checkpoint(
        self,
        job_id: str,
        token: str,
        step: str,
        output: JsonValue,
        steps: tuple[StepState, ...],
        progress: int,
    ) -> Job:
        async def run(conn: Conn) -> Job:
            before = await self._select(conn, job_id, lock=True)
            after = transitions.progressed(
                before, token, self._clock(), ProgressUpdate(progress, steps=steps)
            )
            await conn.execute(Q["save_checkpoint"], (job_id, step, Jsonb(output)))
            return await self._save(conn, before, after)

        return await self._tx(run)

    async def rescue(self) -> list[Job]:
        async def run(conn: Conn) -> list[Job]:
            now = self._clock()
            rows = await (await conn.execute(Q["lease_expired"], (now,))).fetchall()
            return [
                await self._save(conn, job, transitions.rescued(job, now, self._retention))
                for job in map(CODEC.from_row, rows)
            ]

        return await self._tx(run)

    async def purge(self) -> int:
        async def run(conn: Conn) -> int:
            now = self._clock()
            gone = await (await conn.execute(Q["delete_expired"], (now, PURGE_BATCH))).fetchall()
            async with conn.cursor() as cursor:
                await cursor.executemany(Q["insert_tombstone"], [(r["id"], now) for r in gone])
            await conn.execute(Q["forget_tombstones"], (now - TOMBSTONE_RETENTION,))
            return len(gone)

        return await self._tx(run)


CLAIMED_COLUMNS = (
    "status", "attempts", "lease_token", "lease_expires_at", "started_at", "message",
    "updated_at", "version",
)  # fmt: skip
"""The columns `claim_due` writes, each returned with its old value as `old_<column>`."""


def _checked_claim(row: DictRow, token: str, now: datetime, lease_until: datetime) -> Job:
    """A job as `claim_due` claimed it, checked to be exactly what `transitions.claimed` makes
    of the job as it was, so the SQL can never drift from the state machine unnoticed."""
    after = CODEC.from_row(row)
    old = {c: CODEC.decode(c, row[f"old_{c}"]) for c in CLAIMED_COLUMNS}
    if transitions.claimed(dataclasses.replace(after, **old), token, now, lease_until) != after:
        raise StoreError(f"claim_due wrote job {after.id} unlike transitions.claimed")
    return after
