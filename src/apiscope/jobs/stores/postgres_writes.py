"""The PostgreSQL store's writes, each one statement that carries its own notifications.

A write and its NOTIFYs travel together (`pg_notify` in a CTE that runs only when the write
matched a row), so submitting or finishing a job is one round trip and no transaction stays open
while Python waits for a core. A transition's `UPDATE` applies only if the row still has the
version and lease it was computed from: every transition bumps the version except a heartbeat,
which moves only the lease, so an unchanged pair means an unchanged row. Statement texts are
fixed per set of changed columns, so psycopg prepares them after a few uses.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from psycopg import sql

from apiscope.jobs.model import Job
from apiscope.jobs.stores.codec import COLUMNS

Notes = tuple[list[str], list[str]]
"""A write's notifications: parallel lists of channels and payloads."""
NOTIFY = sql.SQL("n AS (SELECT pg_notify(c, p) FROM j, unnest(%s::text[], %s::text[]) AS n (c, p))")
"""Sends the notifications (parallel arrays of channels and payloads) once per written row."""
COUNT = sql.SQL("SELECT (SELECT count(*) FROM j) AS written, (SELECT count(*) FROM n) AS sent")

INSERT = (
    sql.SQL(
        "WITH j AS (INSERT INTO apiscope_jobs ({}) VALUES ({}) ON CONFLICT DO NOTHING RETURNING id)"
        ", {} {}"
    )
    .format(
        sql.SQL(", ").join(map(sql.Identifier, COLUMNS)),
        sql.SQL(", ").join(sql.Placeholder() * len(COLUMNS)),
        NOTIFY,
        COUNT,
    )
    .as_string()
    .encode()
)
"""Insert a new job unless its id or (owner, idempotency key) exists, notifying if it was new."""


@lru_cache(maxsize=64)
def guarded_update(columns: tuple[str, ...]) -> bytes:
    """`UPDATE` of these columns, if the row is still at the given version and lease."""
    assignments = sql.SQL(", ").join(sql.SQL("{} = %s").format(sql.Identifier(c)) for c in columns)
    statement = sql.SQL(
        "WITH j AS (UPDATE apiscope_jobs SET {} WHERE id = %s AND version = %s"
        " AND lease_expires_at IS NOT DISTINCT FROM %s RETURNING id), {} {}"
    ).format(assignments, NOTIFY, COUNT)
    return statement.as_string().encode()


def update_params(before: Job, after: Job, changed: Mapping[str, Any], notes: Notes) -> list[Any]:
    """The parameters of `guarded_update(tuple(changed))` for the transition `before` → `after`."""
    return [*changed.values(), after.id, before.version, before.lease_expires_at, *notes]
