"""Job records and the job state machine.

States and the transitions between them (every store guards each one with a conditional write)::

    pending ──claim──▶ processing ──complete──▶ completed
       ▲                 │  │ └──fail─────────▶ failed
       │                 │  └────cancel───────▶ cancelled
       └──retry/release/rescue┘
    pending ──cancel──▶ cancelled

A retry returns a job to ``pending`` with ``run_at`` in the future; a rescue does the same for a
job whose lease expired (its executor died) while attempts remain, and fails it otherwise.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any

JsonValue = Any
"""A value that survives a JSON round trip (dict, list, str, int, float, bool, None)."""


class JobStatus(enum.StrEnum):
    """Where a job is in its life."""

    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def is_terminal(self) -> bool:
        """Whether the job is finished for good."""
        return self in TERMINAL_STATUSES


TERMINAL_STATUSES = frozenset({JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED})
ACTIVE_STATUSES = frozenset({JobStatus.PENDING, JobStatus.PROCESSING})


class StepStatus(enum.StrEnum):
    """Where one pipeline step is."""

    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class StepState:
    """One named step of a job as the status endpoint shows it."""

    name: str
    status: StepStatus = StepStatus.PENDING
    progress: int = 0

    def to_json(self) -> dict[str, JsonValue]:
        """The contract's step object."""
        return {"name": self.name, "status": self.status.value, "progress": self.progress}

    @classmethod
    def from_json(cls, data: dict[str, JsonValue]) -> StepState:
        """Inverse of `to_json`."""
        return cls(str(data["name"]), StepStatus(data["status"]), int(data["progress"]))


@dataclass(frozen=True, slots=True)
class NewJob:
    """What a submission asks the store to create."""

    id: str
    kind: str
    params: JsonValue
    max_attempts: int
    run_at: datetime
    created_at: datetime
    owner: str | None = None
    idempotency_key: str | None = None
    fingerprint: str | None = None
    steps: tuple[StepState, ...] = ()


@dataclass(frozen=True, slots=True)
class Job:
    """An immutable snapshot of a job as stored; `version` grows with every write."""

    id: str
    kind: str
    params: JsonValue
    status: JobStatus
    progress: int
    message: str
    created_at: datetime
    updated_at: datetime
    run_at: datetime
    attempts: int
    max_attempts: int
    version: int = 1
    result: JsonValue = None
    error: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    expires_at: datetime | None = None
    owner: str | None = None
    idempotency_key: str | None = None
    fingerprint: str | None = None
    lease_token: str | None = None
    lease_expires_at: datetime | None = None
    steps: tuple[StepState, ...] = ()
    partial: JsonValue = None
    """What the job has found so far (an object), for clients to show before the result."""

    @property
    def is_terminal(self) -> bool:
        """Whether the job is finished for good."""
        return self.status.is_terminal


@dataclass(frozen=True, slots=True)
class ProgressUpdate:
    """One progress report of job code: unset fields keep their stored values."""

    progress: int
    message: str | None = None
    steps: tuple[StepState, ...] | None = None
    partial: dict[str, JsonValue] | None = None
    """Merged key by key into the job's partial results."""


@dataclass(frozen=True, slots=True)
class Claimed:
    """A job an executor now owns, with the token that proves it in every later write."""

    job: Job
    lease_token: str


@dataclass(frozen=True, slots=True)
class JobPage:
    """One page of a listing, newest first; `next_cursor` is None on the last page."""

    jobs: tuple[Job, ...]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class StoreStats:
    """Counts for metrics: jobs by status, and pending jobs already due (the queue depth)."""

    by_status: dict[JobStatus, int]
    due: int
