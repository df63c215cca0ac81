"""Where the queue benchmark keeps its data, and how it makes and removes it.

Everything lives in places of the benchmark's own, so that nothing else on the machine is
touched: one PostgreSQL database (`bench_queues`, dropped at the end) with one schema per
PostgreSQL-based system, and three numbered Redis databases (flushed before each trial and at the
end). The PostgreSQL server and Redis are the machine's; `BENCH_PG_SERVER` and
`BENCH_REDIS_SERVER` point elsewhere on loopback.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import psycopg
from psycopg import sql

REPO_ROOT = Path(__file__).resolve().parents[2]
PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgresql://postgres@127.0.0.1:5432")
REDIS_SERVER = os.environ.get("BENCH_REDIS_SERVER", "redis://127.0.0.1:6379")
DATABASE = "bench_queues"
PG_URL = f"{PG_SERVER}/{DATABASE}"
APISCOPE_SCHEMA = "bench_apiscope"
PROCRASTINATE_SCHEMA = "bench_procrastinate"
REDIS_DBS = {"celery-broker": 13, "celery-results": 14, "arq": 15}
_LOOPBACK = re.compile(r"^[a-z]+://([^@/]*@)?(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$")


def pythonpath() -> str:
    """PYTHONPATH for the processes a benchmark starts: the caller's first (so
    `PYTHONPATH=/path/to/snapshot/src` benchmarks another apiscope tree), then the repository
    root, where `bench` lives."""
    return os.pathsep.join(filter(None, [os.environ.get("PYTHONPATH"), str(REPO_ROOT)]))


def redis_url(role: str) -> str:
    """The Redis URL of one of the benchmark's numbered databases."""
    return f"{REDIS_SERVER}/{REDIS_DBS[role]}"


def check_loopback() -> None:
    """The benchmark sends load only to this machine: refuse any other server address."""
    for url in (PG_SERVER, REDIS_SERVER):
        if not _LOOPBACK.match(url):
            raise SystemExit(f"bench.queues: {url!r} is not a loopback server URL")


async def _admin(dbname: str) -> psycopg.AsyncConnection[tuple[object, ...]]:
    return await psycopg.AsyncConnection.connect(f"{PG_SERVER}/{dbname}", autocommit=True)


async def create_database() -> None:
    """Create `bench_queues` unless it exists."""
    async with await _admin("postgres") as conn:
        found = await conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,))
        if await found.fetchone() is None:
            await conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE)))


async def drop_database() -> None:
    """Drop `bench_queues` and whatever is still connected to it."""
    async with await _admin("postgres") as conn:
        query = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        await conn.execute(query.format(sql.Identifier(DATABASE)))


async def fresh_schema(schema: str) -> None:
    """Drop a schema of the benchmark's database with everything in it, and create it empty."""
    async with await _admin(DATABASE) as conn:
        name = sql.Identifier(schema)
        await conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(name))
        await conn.execute(sql.SQL("CREATE SCHEMA {}").format(name))


async def connect() -> psycopg.AsyncConnection[tuple[object, ...]]:
    """An autocommit connection to the benchmark's database, for counting finished jobs."""
    return await _admin(DATABASE)


async def scalar(conn: psycopg.AsyncConnection[tuple[object, ...]], query: str) -> int:
    """The one number a `count(*)` query answers."""
    row = await (await conn.execute(query.encode())).fetchone()
    return int(str(row[0])) if row else 0


async def database_commits() -> int:
    """Transactions committed in the benchmark's database so far (PostgreSQL's statistics,
    read from another database so the reading itself is not counted)."""
    async with await _admin("postgres") as conn:
        query = "SELECT xact_commit FROM pg_stat_database WHERE datname = %s"
        row = await (await conn.execute(query, (DATABASE,))).fetchone()
    return int(str(row[0])) if row else 0


async def server_started() -> str:
    """When the PostgreSQL server last started: a run during which this changes was disturbed
    by a restart (the machine's server is shared) and its numbers are flagged."""
    async with await _admin("postgres") as conn:
        row = await (await conn.execute("SELECT pg_postmaster_start_time()::text")).fetchone()
    return str(row[0]) if row else ""


async def backend_pids() -> list[int]:
    """PostgreSQL server processes serving the benchmark's database now."""
    async with await _admin("postgres") as conn:
        rows = await (
            await conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                (DATABASE,),
            )
        ).fetchall()
    return [int(str(r[0])) for r in rows]


async def flush_redis(*roles: str) -> None:
    """Empty the benchmark's numbered Redis databases (never database 0 or another's)."""
    import redis.asyncio as aioredis  # type: ignore[import-not-found, unused-ignore]

    for role in roles or tuple(REDIS_DBS):
        client = aioredis.Redis.from_url(redis_url(role))
        try:
            await client.flushdb()
        finally:
            await client.aclose()


async def redis_pid() -> int:
    """The Redis server's process id, to read its CPU time."""
    import redis.asyncio as aioredis  # type: ignore[import-not-found, unused-ignore]

    client = aioredis.Redis.from_url(redis_url("arq"))
    try:
        info = await client.info("server")
    finally:
        await client.aclose()
    return int(info["process_id"])
