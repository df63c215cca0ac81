"""The HTTP shapes of jobs (the contract in DESIGN.md), split from the internal records."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from apiscope.jobs.model import Job


class StepOut(BaseModel):
    """One pipeline step."""

    name: str
    status: Literal["pending", "processing", "completed", "failed"]
    progress: int = Field(ge=0, le=100)


class JobStatusOut(BaseModel):
    """`GET /status/{job_id}`: `result` is set only when completed, `error` only when failed."""

    job_id: str
    kind: str
    status: Literal["pending", "processing", "completed", "failed", "cancelled"]
    progress: int = Field(ge=0, le=100, description="0-100, never decreasing")
    message: str
    result: Any = None
    error: str | None = None
    created_at: datetime
    updated_at: datetime
    attempts: int
    max_attempts: int
    steps: list[StepOut]
    partial: Any = Field(default=None, description="What the job found so far, while it runs")

    @classmethod
    def of(cls, job: Job) -> JobStatusOut:
        """The public view of a job."""
        return cls(
            job_id=job.id,
            kind=job.kind,
            status=job.status.value,
            progress=job.progress,
            message=job.message,
            result=job.result if job.status == "completed" else None,
            error=job.error if job.status == "failed" else None,
            created_at=job.created_at,
            updated_at=job.updated_at,
            attempts=job.attempts,
            max_attempts=job.max_attempts,
            steps=[StepOut(**s.to_json()) for s in job.steps],
            partial=job.partial,
        )


class AcceptedOut(BaseModel):
    """202 body of every submission."""

    status: Literal["accepted"] = "accepted"
    job_id: str
    message: str


class JobListOut(BaseModel):
    """`GET /jobs`: one page, newest first; pass `next_cursor` as `cursor` for the next."""

    jobs: list[JobStatusOut]
    next_cursor: str | None


class ErrorOut(BaseModel):
    """Every error response."""

    detail: Any
