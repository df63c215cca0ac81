"""The job state machine as pure functions: each takes a snapshot and returns the next one.

Every store applies exactly these functions inside its own atomic section (a transaction, a
conditional write), so the rules live once and the stores only add persistence and atomicity.
A guard that fails raises `InvalidTransition` (or `LeaseLost` for a write by an executor that no
longer owns the job); nothing is half-applied.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from apiscope.errors import InvalidTransition, JobExpired, LeaseLost
from apiscope.jobs.model import (
    ACTIVE_STATUSES,
    Job,
    JobStatus,
    JsonValue,
    NewJob,
    ProgressUpdate,
    StepState,
    StepStatus,
)


def created(new: NewJob) -> Job:
    """The first snapshot of a submitted job."""
    return Job(
        id=new.id,
        kind=new.kind,
        params=new.params,
        status=JobStatus.PENDING,
        progress=0,
        message="Queued",
        created_at=new.created_at,
        updated_at=new.created_at,
        run_at=new.run_at,
        attempts=0,
        max_attempts=new.max_attempts,
        owner=new.owner,
        idempotency_key=new.idempotency_key,
        fingerprint=new.fingerprint,
        steps=new.steps,
    )


def ensure_not_expired(job: Job, now: datetime) -> Job:
    """Raise `JobExpired` for a job past its retention that a purge has not removed yet."""
    if job.expires_at is not None and job.expires_at <= now:
        raise JobExpired("Job expired", job.id)
    return job


def _next(job: Job, now: datetime, **changes: object) -> Job:
    return dataclasses.replace(job, updated_at=now, version=job.version + 1, **changes)  # type: ignore[arg-type]


def is_due(job: Job, now: datetime) -> bool:
    """Whether a claim may take the job now."""
    return job.status is JobStatus.PENDING and job.run_at <= now


def claimed(job: Job, token: str, now: datetime, lease_until: datetime) -> Job:
    """pending → processing, owned by `token` until `lease_until`."""
    if not is_due(job, now):
        raise InvalidTransition("job is not due for a claim", job.id, job.status)
    return _next(
        job,
        now,
        status=JobStatus.PROCESSING,
        attempts=job.attempts + 1,
        lease_token=token,
        lease_expires_at=lease_until,
        started_at=job.started_at or now,
        message="Started" if job.attempts == 0 else f"Started attempt {job.attempts + 1}",
    )


def require_owner(job: Job, token: str) -> None:
    """Raise `LeaseLost` unless the job is processing under this lease token."""
    if job.status is not JobStatus.PROCESSING or job.lease_token != token:
        raise LeaseLost("this executor no longer owns the job", job.id, job.status)


def heartbeat(job: Job, token: str, lease_until: datetime) -> Job:
    """Extend the lease; invisible to clients, so the version does not change."""
    require_owner(job, token)
    return dataclasses.replace(job, lease_expires_at=lease_until)


def progressed(job: Job, token: str, now: datetime, update: ProgressUpdate) -> Job:
    """Record progress; it never goes down, whatever the caller sends."""
    require_owner(job, token)
    partial = job.partial
    if update.partial is not None:
        partial = {**(job.partial or {}), **update.partial}
    return _next(
        job,
        now,
        progress=max(job.progress, min(100, max(0, update.progress))),
        message=job.message if update.message is None else update.message,
        steps=job.steps if update.steps is None else update.steps,
        partial=partial,
    )


def _finished(job: Job, now: datetime, retention: timedelta, **changes: object) -> Job:
    return _next(
        job,
        now,
        finished_at=now,
        lease_token=None,
        lease_expires_at=None,
        expires_at=now + retention,
        **changes,
    )


def _steps_completed(steps: tuple[StepState, ...]) -> tuple[StepState, ...]:
    return tuple(StepState(s.name, StepStatus.COMPLETED, 100) for s in steps)


def completed(job: Job, token: str, now: datetime, result: JsonValue, retention: timedelta) -> Job:
    """processing → completed with its result."""
    require_owner(job, token)
    return _finished(
        job,
        now,
        retention,
        status=JobStatus.COMPLETED,
        progress=100,
        message="Completed",
        result=result,
        steps=_steps_completed(job.steps),
    )


def _steps_failed(steps: tuple[StepState, ...]) -> tuple[StepState, ...]:
    return tuple(
        StepState(s.name, StepStatus.FAILED, s.progress) if s.status is StepStatus.PROCESSING else s
        for s in steps
    )


def failed(job: Job, now: datetime, error: str, retention: timedelta) -> Job:
    """→ failed for good; callers check ownership or lease expiry first."""
    return _finished(
        job,
        now,
        retention,
        status=JobStatus.FAILED,
        message="Failed",
        error=error,
        steps=_steps_failed(job.steps),
    )


def failed_by_owner(job: Job, token: str, now: datetime, error: str, retention: timedelta) -> Job:
    """processing → failed, written by the executor that owns the job."""
    require_owner(job, token)
    return failed(job, now, error, retention)


def retried(job: Job, token: str, now: datetime, run_at: datetime, message: str) -> Job:
    """processing → pending, to run again at `run_at`; finished steps keep their checkpoints."""
    require_owner(job, token)
    return _back_to_pending(job, now, run_at, message)


def released(job: Job, token: str, now: datetime) -> Job:
    """processing → pending at once, the attempt not counted (graceful shutdown)."""
    require_owner(job, token)
    job = _back_to_pending(job, now, now, "Released by a stopping worker; waiting for another")
    return dataclasses.replace(job, attempts=max(0, job.attempts - 1))


def _back_to_pending(job: Job, now: datetime, run_at: datetime, message: str) -> Job:
    steps = tuple(
        StepState(s.name, StepStatus.PENDING, 0) if s.status is not StepStatus.COMPLETED else s
        for s in job.steps
    )
    return _next(
        job,
        now,
        status=JobStatus.PENDING,
        run_at=run_at,
        lease_token=None,
        lease_expires_at=None,
        message=message,
        steps=steps,
    )


def lease_expired(job: Job, now: datetime) -> bool:
    """Whether the job's executor stopped renewing its lease (it died or hung)."""
    return (
        job.status is JobStatus.PROCESSING
        and job.lease_expires_at is not None
        and job.lease_expires_at < now
    )


def rescued(job: Job, now: datetime, retention: timedelta) -> Job:
    """An expired lease: back to pending while attempts remain, else failed with the reason."""
    if not lease_expired(job, now):
        raise InvalidTransition("job's lease has not expired", job.id, job.status)
    lost = f"the executor running attempt {job.attempts} of {job.max_attempts} stopped responding"
    if job.attempts >= job.max_attempts:
        return failed(job, now, f"Job failed: {lost}", retention)
    return _back_to_pending(job, now, now, f"Retrying: {lost}")


def cancelled(job: Job, now: datetime, retention: timedelta) -> Job:
    """pending or processing → cancelled; a running executor notices at its next write."""
    if job.status not in ACTIVE_STATUSES:
        raise InvalidTransition(f"job is already {job.status.value}", job.id, job.status)
    return _finished(job, now, retention, status=JobStatus.CANCELLED, message="Cancelled")
