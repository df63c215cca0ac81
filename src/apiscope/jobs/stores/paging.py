"""Opaque keyset cursors for listings, newest first: (created_at, id) of the last job shown."""

from __future__ import annotations

import base64
from datetime import datetime

from apiscope.errors import ApiscopeError
from apiscope.jobs.model import Job


class InvalidCursor(ApiscopeError):
    """A cursor that this store did not hand out."""


def encode_cursor(job: Job) -> str:
    """The cursor that continues a listing after `job`."""
    raw = f"{job.created_at.isoformat()}|{job.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    """Inverse of `encode_cursor`; `InvalidCursor` for anything else."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, job_id = raw.split("|", 1)
        return datetime.fromisoformat(stamp), job_id
    except ValueError as exc:
        raise InvalidCursor("invalid cursor") from exc
