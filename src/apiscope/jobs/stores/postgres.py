"""The PostgreSQL store: `apiscope worker` processes on many machines over one database.

Claims use `FOR UPDATE SKIP LOCKED`, so workers never wait on each other's rows; every other
transition locks its one row (`FOR UPDATE`) and applies the shared pure transition. Each write
sends NOTIFY in its transaction: workers wake when jobs become due, and one LISTEN connection per
API process fans changes out to all its SSE watchers. Times come from the caller's clock, so
the machines' clocks must agree (NTP) to within a small part of the lease.
"""

from __future__ import annotations

import asyncio
import contextlib
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
from apiscope.jobs.stores.codec import COLUMNS, RowCodec, from_epoch, to_epoch
from apiscope.jobs.stores.guarded import Change, GuardedTransitions
from apiscope.jobs.stores.migrations import (
    latest_version,
    migrations,
    named_queries,
    statements,
)
from apiscope.jobs.stores.paging import decode_cursor, encode_cursor

T = TypeVar("T")
Conn = psycopg.AsyncConnection[DictRow]
log = logging.getLogger("apiscope.jobs.postgres")
CODEC = RowCodec(encode_json=Jsonb)
PURGE_BATCH = 500
Q = named_queries("postgres_queries.sql")
MIGRATION_LOCK = 0x61706973  # "apis": one migrator at a time
_INSERT = sql.SQL(
    "INSERT INTO apiscope_jobs ({}) VALUES ({}) ON CONFLICT DO NOTHING RETURNING *"
).format(
    sql.SQL(", ").join(map(sql.Identifier, COLUMNS)),
    sql.SQL(", ").join(sql.Placeholder() * len(COLUMNS)),
)


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
        self._pool: AsyncConnectionPool[Conn] = AsyncConnectionPool(
            self._conninfo,
            min_size=1,
            max_size=pool_size,
            open=False,
            kwargs={"row_factory": dict_row, "options": f"-c search_path={self.schema}"},
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

    async def _tx(self, fn: Callable[[Conn], Awaitable[T]]) -> T:
        """Run `fn` in one transaction on a pooled connection."""
        async with self._translated(), self._pool.connection() as conn, conn.transaction():
            return await fn(conn)

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

    async def _notify(self, conn: Conn, before: Job | None, after: Job) -> None:
        if before is None or after.version != before.version:
            await conn.execute(Q["notify"], (self._change_channel, after.id))
        if after.status is JobStatus.PENDING and (
            before is None or before.status is not JobStatus.PENDING
        ):
            await conn.execute(Q["notify"], (self._due_channel, str(to_epoch(after.run_at))))

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
            return transitions.ensure_not_expired(CODEC.from_row(row), self._clock())
        gone = await conn.execute(Q["is_expired"], (job_id,))
        if await gone.fetchone():
            raise JobExpired("Job expired", job_id)
        raise JobNotFound("Job not found", job_id)

    async def get(self, job_id: str) -> Job:
        async with self._translated(), self._pool.connection() as conn:
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
        async with self._translated(), self._pool.connection() as conn:
            rows = await (await conn.execute(query.encode(), [*args, limit + 1])).fetchall()
        jobs = tuple(CODEC.from_row(r) for r in rows[:limit])
        return JobPage(jobs, encode_cursor(jobs[-1]) if len(rows) > limit else None)

    async def load_checkpoints(self, job_id: str) -> dict[str, JsonValue]:
        async with self._translated(), self._pool.connection() as conn:
            rows = await (await conn.execute(Q["load_checkpoints"], (job_id,))).fetchall()
        return {r["step"]: r["output"] for r in rows}

    async def stats(self) -> StoreStats:
        async with self._translated(), self._pool.connection() as conn:
            rows = await (await conn.execute(Q["count_by_status"])).fetchall()
            due = await (await conn.execute(Q["count_due"], (self._clock(),))).fetchone()
        by_status = dict.fromkeys(JobStatus, 0) | {JobStatus(r["status"]): r["n"] for r in rows}
        return StoreStats(by_status, int(due["n"]) if due else 0)

    # -- transitions ----------------------------------------------------------------------------

    async def _save(self, conn: Conn, before: Job, after: Job) -> Job:
        columns = CODEC.changed(before, after)
        if columns:
            assignments = sql.SQL(", ").join(
                sql.SQL("{} = %s").format(sql.Identifier(c)) for c in columns
            )
            await conn.execute(
                sql.SQL("UPDATE apiscope_jobs SET {} WHERE id = %s").format(assignments),
                [*columns.values(), after.id],
            )
        await self._notify(conn, before, after)
        return after

    async def _transition(self, job_id: str, change: Change) -> Job:
        async def run(conn: Conn) -> Job:
            before = await self._select(conn, job_id, lock=True)
            return await self._save(conn, before, change(before, self._clock()))

        return await self._tx(run)

    async def submit(self, new: NewJob) -> tuple[Job, bool]:
        job = transitions.created(new)

        async def run(conn: Conn) -> tuple[Job, bool]:
            inserted = await (
                await conn.execute(_INSERT, list(CODEC.to_row(job).values()))
            ).fetchone()
            if inserted is not None:
                await self._notify(conn, None, job)
                return job, True
            existing = await self._idempotent(conn, new)
            if existing.fingerprint != new.fingerprint:
                raise IdempotencyConflict(
                    "Idempotency-Key already used for a different request", existing.id
                )
            return existing, False

        return await self._tx(run)

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
        token = uuid.uuid4().hex

        async def run(conn: Conn) -> list[Claimed]:
            now = self._clock()
            due = (now, list(kinds), limit)
            rows = await (await conn.execute(Q["claim_due"], due)).fetchall()
            claimed = []
            for job in map(CODEC.from_row, rows):
                after = await self._save(
                    conn, job, transitions.claimed(job, token, now, lease_until)
                )
                claimed.append(Claimed(after, token))
            return claimed

        return await self._tx(run)

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
