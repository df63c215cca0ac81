"""The machine's PostgreSQL for tests: one fresh schema per test, dropped afterwards.

Tests that need it skip with a reason on a laptop without it and fail under CI, which must have it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg

from tests.conftest import skip_or_fail

POSTGRES_URL = os.environ.get(
    "APISCOPE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


def postgres_available() -> bool:
    try:
        with psycopg.connect(POSTGRES_URL, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def fresh_schema_url() -> Iterator[str]:
    """A store URL on its own schema, so tests never see each other's jobs."""
    if not postgres_available():
        skip_or_fail(f"PostgreSQL is not reachable at {POSTGRES_URL}")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    separator = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{separator}schema={schema}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
