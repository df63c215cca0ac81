"""Job snapshots to and from SQL rows, shared by the SQL stores."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from apiscope.jobs.model import Job, JobStatus, StepState

COLUMNS = (
    "id", "kind", "params", "status", "progress", "message", "result", "error",
    "created_at", "updated_at", "run_at", "started_at", "finished_at", "expires_at",
    "attempts", "max_attempts", "version", "owner", "idempotency_key", "fingerprint",
    "lease_token", "lease_expires_at", "steps",
)  # fmt: skip
TIME_COLUMNS = frozenset(
    {"created_at", "updated_at", "run_at", "started_at", "finished_at", "expires_at",
     "lease_expires_at"}
)  # fmt: skip
JSON_COLUMNS = frozenset({"params", "result"})


def to_epoch(value: datetime | None) -> float | None:
    """A datetime as UNIX seconds (None stays None)."""
    return None if value is None else value.timestamp()


def from_epoch(value: float | None) -> datetime | None:
    """UNIX seconds as an aware UTC datetime (None stays None)."""
    return None if value is None else datetime.fromtimestamp(value, UTC)


def dumps(value: Any) -> str:
    """Compact JSON, as stored."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def encode(column: str, value: Any) -> Any:
    """One column's stored form."""
    if column in TIME_COLUMNS:
        return to_epoch(value)
    if column in JSON_COLUMNS:
        return None if value is None and column == "result" else dumps(value)
    if column == "steps":
        return dumps([s.to_json() for s in value])
    if column == "status":
        return value.value
    return value


def decode(column: str, value: Any) -> Any:
    """Inverse of `encode`."""
    if column in TIME_COLUMNS:
        return from_epoch(value)
    if column in JSON_COLUMNS:
        return None if value is None else json.loads(value)
    if column == "steps":
        return tuple(StepState.from_json(s) for s in json.loads(value))
    if column == "status":
        return JobStatus(value)
    return value


def job_to_row(job: Job) -> dict[str, Any]:
    """Column values for a job snapshot."""
    return {c: encode(c, getattr(job, c)) for c in COLUMNS}


def job_from_row(row: Mapping[str, Any]) -> Job:
    """The job snapshot a row holds."""
    return Job(**{c: decode(c, row[c]) for c in COLUMNS})


def changed_columns(before: Job, after: Job) -> dict[str, Any]:
    """Only the columns a transition changed, so a write never re-serialises the rest."""
    return {
        c: encode(c, getattr(after, c)) for c in COLUMNS if getattr(before, c) != getattr(after, c)
    }
