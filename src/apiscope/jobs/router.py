"""The HTTP API of the job engine: submit, status, events, cancel, list, health and metrics.

`create_router(engine)` returns a plain APIRouter, so any FastAPI application can include it;
engine errors are turned into HTTP errors here, not by app-wide handlers the host app may lack.
"""

# No `from __future__ import annotations`: FastAPI must resolve the dependency aliases
# defined inside `create_router` at definition time, from the local scope.

import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse
from fastapi.sse import EventSourceResponse, ServerSentEvent
from pydantic import ValidationError

from apiscope.errors import (
    IdempotencyConflict,
    InvalidTransition,
    JobExpired,
    JobNotFound,
    StoreError,
    UnknownJobKind,
)
from apiscope.jobs.auth import ApiKeys, caller_dependency
from apiscope.jobs.encoded import StatusEncoder
from apiscope.jobs.engine import JobEngine
from apiscope.jobs.model import Job, JobStatus
from apiscope.jobs.ratelimit import RateLimiter, submitter_dependency
from apiscope.jobs.schemas import AcceptedOut, ErrorOut, JobListOut, JobStatusOut
from apiscope.jobs.stores.paging import InvalidCursor

RETRY_AFTER_SECONDS = 2
MAX_IDEMPOTENCY_KEY = 255
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "Job not found (or not the caller's)"},
    410: {"model": ErrorOut, "description": "Job expired after its retention period"},
}
AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "Missing or invalid API key, when keys are set"},
}
EVENT_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {
        "description": spec["description"],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
    }
    for status, spec in {**ERRORS, **AUTH_ERRORS}.items()
}
"""ERRORS as the event stream sends them: JSON, where FastAPI would document the route's
text/event-stream."""
BODY_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "Body not decodable as JSON (e.g. not UTF-8)"},
    413: {"model": ErrorOut, "description": "Body over the size limit"},
    422: {"model": ErrorOut, "description": "Invalid input, or an Idempotency-Key reused"},
}
"""What any endpoint taking a JSON body may answer besides its own responses."""
LIMIT_ERRORS: dict[int | str, dict[str, Any]] = {
    429: {"model": ErrorOut, "description": "Over the submission rate limit; see Retry-After"},
}
"""What a submission may answer when rate limits are configured."""


@contextlib.contextmanager
def http_errors() -> Iterator[None]:
    """Translate engine errors into the HTTP errors of the contract."""
    try:
        yield
    except (JobNotFound, UnknownJobKind) as exc:
        raise HTTPException(404, str(exc)) from exc
    except JobExpired as exc:
        raise HTTPException(410, "Job expired") from exc
    except InvalidTransition as exc:
        raise HTTPException(409, f"Job cannot be changed: {exc}") from exc
    except IdempotencyConflict as exc:
        raise HTTPException(422, str(exc)) from exc
    except InvalidCursor as exc:
        raise HTTPException(422, "Invalid cursor") from exc
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_context=False)
        detail = [{**e, "loc": ["body", *e["loc"]]} for e in errors]
        raise HTTPException(422, detail) from exc
    except StoreError as exc:
        raise HTTPException(503, "The job store is unavailable; try again shortly") from exc


def accepted(job: Job, started: str = "Job accepted.") -> JSONResponse:
    """The 202 response of a submission, with `Location` and `Retry-After`."""
    location = f"/status/{job.id}"
    body = AcceptedOut(job_id=job.id, message=f"{started} Poll {location} for updates.")
    headers = {"Location": location, "Retry-After": str(RETRY_AFTER_SECONDS)}
    return JSONResponse(body.model_dump(), status_code=202, headers=headers)


def _etag(job: Job) -> str:
    return f'"{job.id}.{job.version}"'


def _status_response(job: Job, request: Request, encoded: StatusEncoder) -> Response:
    etag = _etag(job)
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if not job.is_terminal:
        headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    candidates = request.headers.get("if-none-match", "")
    if etag in {c.strip().removeprefix("W/") for c in candidates.split(",")} or candidates == "*":
        return Response(status_code=304, headers=headers)
    return Response(encoded(job), media_type="application/json", headers=headers)


def create_router(
    engine: JobEngine, keys: ApiKeys | None = None, limiter: RateLimiter | None = None
) -> APIRouter:
    """The job endpoints of the contract, bound to one engine."""
    keys = keys or ApiKeys()
    router = APIRouter(tags=["jobs"], responses=AUTH_ERRORS)
    Owner = Annotated[str | None, Depends(caller_dependency(keys))]
    limit = limiter or RateLimiter(per_minute=0, burst=1)
    Submitter = Annotated[str | None, Depends(submitter_dependency(keys, limit))]

    async def visible_job(job_id: str, owner: Owner) -> Job:
        with http_errors():
            return await engine.get(job_id, owner=owner)

    VisibleJob = Annotated[Job, Depends(visible_job)]
    encoded = StatusEncoder()

    @router.post(
        "/jobs/{kind}",
        status_code=202,
        response_model=AcceptedOut,
        responses={
            404: {"model": ErrorOut, "description": "Unknown job kind"},
            **BODY_ERRORS,
            **LIMIT_ERRORS,
        },
    )
    async def submit_job(
        kind: str,
        owner: Submitter,
        params: Annotated[dict[str, Any] | None, Body()] = None,
        idempotency_key: Annotated[str | None, Header(max_length=MAX_IDEMPOTENCY_KEY)] = None,
    ) -> JSONResponse:
        """Submit a job of a registered kind with its JSON parameters; 202 with its id."""
        with http_errors():
            job, _ = await engine.submit(
                kind, params or {}, owner=owner, idempotency_key=idempotency_key
            )
        return accepted(job)

    @router.get("/status/{job_id}", response_model=JobStatusOut, responses=ERRORS)
    async def job_status(job: VisibleJob, request: Request) -> Response:
        """A job's state, progress, steps, and result or error; supports `If-None-Match`."""
        return _status_response(job, request, encoded)

    @router.get("/jobs/{job_id}", response_model=JobStatusOut, responses=ERRORS)
    async def get_job(job: VisibleJob, request: Request) -> Response:
        """The same as `/status/{job_id}`, under the jobs collection."""
        return _status_response(job, request, encoded)

    @router.get("/jobs/{job_id}/events", response_class=EventSourceResponse, responses=EVENT_ERRORS)
    async def job_events(job: VisibleJob, owner: Owner) -> AsyncIterator[ServerSentEvent]:
        """Server-Sent Events: the current state, then each change; ends after a final state."""
        with contextlib.suppress(JobNotFound, JobExpired):
            async for current in engine.watch(job.id, owner=owner, first=job):
                yield ServerSentEvent(
                    raw_data=encoded(current),
                    id=str(current.version),
                    event="status",
                )

    @router.post(
        "/jobs/{job_id}/cancel",
        response_model=JobStatusOut,
        responses={**ERRORS, 409: {"model": ErrorOut, "description": "Already finished"}},
    )
    async def cancel_job(job: VisibleJob, owner: Owner) -> JobStatusOut:
        """Cancel a pending or running job; a running one stops at its next progress call."""
        with http_errors():
            return JobStatusOut.of(await engine.cancel(job.id, owner=owner))

    @router.get(
        "/jobs",
        response_model=JobListOut,
        responses={422: {"model": ErrorOut, "description": "Invalid query or cursor"}},
    )
    async def list_jobs(
        owner: Owner,
        limit: Annotated[int, Query(ge=1, le=100)] = 20,
        cursor: str | None = None,
        status: JobStatus | None = None,
        kind: str | None = None,
    ) -> JobListOut:
        """The caller's jobs, newest first, a page at a time."""
        with http_errors():
            page = await engine.list(
                owner=owner, limit=limit, cursor=cursor, status=status, kind=kind
            )
        return JobListOut(
            jobs=[JobStatusOut.of(j) for j in page.jobs], next_cursor=page.next_cursor
        )

    return router


def create_ops_router(engine: JobEngine) -> APIRouter:
    """`/healthz` and `/metrics`, unauthenticated as probes and scrapers expect."""
    router = APIRouter(tags=["operations"])

    @router.get("/healthz")
    async def healthz() -> JSONResponse:
        """200 when the store answers, 503 when it does not."""
        try:
            stats = await engine.store.stats()
        except StoreError as exc:
            return JSONResponse({"status": "unavailable", "detail": str(exc)}, status_code=503)
        return JSONResponse({"status": "ok", "queue_depth": stats.due})

    @router.get("/metrics", response_class=Response)
    async def metrics() -> Response:
        """Prometheus text: jobs by state, queue depth, durations, submissions, retries."""
        with http_errors():
            stats = await engine.store.stats()
        return Response(
            engine.metrics.render(stats), media_type="text/plain; version=0.0.4; charset=utf-8"
        )

    return router
