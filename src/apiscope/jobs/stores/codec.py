"""Job snapshots to and from SQL rows, for every SQL store: the column list lives here once, and
each dialect says only how it stores times and JSON."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from apiscope.jobs.model import Job, JobStatus, StepState

COLUMNS = (
    "id", "kind", "params", "status", "progress", "message", "result", "error",
    "created_at", "updated_at", "run_at", "started_at", "finished_at", "expires_at",
    "attempts", "max_attempts", "version", "owner", "idempotency_key", "fingerprint",
    "lease_token", "lease_expires_at", "steps", "partial",
)  # fmt: skip
TIME_COLUMNS = frozenset(
    {"created_at", "updated_at", "run_at", "started_at", "finished_at", "expires_at",
     "lease_expires_at"}
)  # fmt: skip
JSON_COLUMNS = frozenset({"params", "result", "steps", "partial"})
NULLABLE_JSON = frozenset({"result", "partial"})
"""JSON columns where Python None is SQL NULL rather than JSON null."""


def to_epoch(value: datetime | None) -> float | None:
    """A datetime as UNIX seconds (None stays None)."""
    return None if value is None else value.timestamp()


def from_epoch(value: float | None) -> datetime | None:
    """UNIX seconds as an aware UTC datetime (None stays None)."""
    return None if value is None else datetime.fromtimestamp(value, UTC)


def dumps(value: Any) -> str:
    """Compact JSON text."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _same(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class RowCodec:
    """How one SQL dialect stores a job's times and JSON values."""

    encode_time: Callable[[datetime | None], Any] = _same
    decode_time: Callable[[Any], datetime | None] = _same
    encode_json: Callable[[Any], Any] = _same
    decode_json: Callable[[Any], Any] = _same

    def encode(self, column: str, value: Any) -> Any:
        """One column's stored form (a None result or partial is SQL NULL, not JSON null)."""
        if column in TIME_COLUMNS:
            return self.encode_time(value)
        if column == "steps":
            return self.encode_json([s.to_json() for s in value])
        if column in JSON_COLUMNS:
            return None if value is None and column in NULLABLE_JSON else self.encode_json(value)
        if column == "status":
            return value.value
        return value

    def decode(self, column: str, value: Any) -> Any:
        """Inverse of `encode`."""
        if column in TIME_COLUMNS:
            return self.decode_time(value)
        if column == "steps":
            return tuple(StepState.from_json(s) for s in self.decode_json(value))
        if column in JSON_COLUMNS:
            return None if value is None else self.decode_json(value)
        if column == "status":
            return JobStatus(value)
        return value

    def to_row(self, job: Job) -> dict[str, Any]:
        """Column values for a job snapshot."""
        return {c: self.encode(c, getattr(job, c)) for c in COLUMNS}

    def from_row(self, row: Mapping[str, Any]) -> Job:
        """The job snapshot a row holds."""
        return Job(**{c: self.decode(c, row[c]) for c in COLUMNS})

    def changed(self, before: Job, after: Job) -> dict[str, Any]:
        """Only the columns a transition changed, so a write never re-encodes the rest."""
        return {
            c: self.encode(c, getattr(after, c))
            for c in COLUMNS
            if getattr(before, c) != getattr(after, c)
        }


SQLITE = RowCodec(to_epoch, from_epoch, dumps, json.loads)
