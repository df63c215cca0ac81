"""Job stores behind one protocol, chosen by URL scheme and imported lazily (like saq's
`Queue.from_url`), so a backend's driver is only needed where that backend is used."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from apiscope.errors import ConfigurationError
from apiscope.jobs.clock import Clock, utcnow
from apiscope.jobs.stores.base import JobStore

DEFAULT_RETENTION = timedelta(days=7)


def open_store(
    url: str, *, retention: timedelta = DEFAULT_RETENTION, clock: Clock = utcnow
) -> JobStore:
    """Build the store a URL names (not yet opened: call `await store.open()`)."""
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        from apiscope.jobs.stores.sqlite import SQLiteStore

        return SQLiteStore.from_url(url, retention=retention, clock=clock)
    if scheme in ("postgresql", "postgres"):
        from apiscope.jobs.stores.postgres import PostgresStore

        return PostgresStore(url, retention=retention, clock=clock)
    if scheme == "dynamodb":
        try:
            from apiscope.jobs.stores.dynamodb import DynamoDBStore
        except ImportError as exc:
            raise ConfigurationError(
                f"the DynamoDB store needs boto3 ({exc}): pip install 'apiscope[aws]'"
            ) from exc

        return DynamoDBStore.from_url(url, retention=retention, clock=clock)
    if scheme == "memory":
        from apiscope.jobs.stores.memory import MemoryStore

        return MemoryStore(retention=retention, clock=clock)
    raise ConfigurationError(
        f"unsupported store URL {url!r}: use sqlite:///path/to/file.db, "
        "postgresql://user@host:port/db[?schema=name], "
        "dynamodb://table[?region=...&endpoint_url=...&bucket=...] or memory://"
    )


__all__ = ["DEFAULT_RETENTION", "JobStore", "open_store"]
