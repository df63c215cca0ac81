"""The analysis endpoints of the contract: asynchronous submission, the original synchronous
endpoint (bounded, so it never runs into a gateway timeout), and the demo.

No `from __future__ import annotations`: FastAPI resolves the dependency aliases built inside
`create_analysis_router` at definition time.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException
from fastapi.responses import JSONResponse

from apiscope.analysis.demo import demo_request
from apiscope.analysis.pipeline import KIND
from apiscope.analysis.request import AnalysisRequest
from apiscope.analysis.sources import SourceOptions
from apiscope.analysis.sources.spec import parse_spec
from apiscope.errors import SourceError
from apiscope.jobs import JobEngine, accepted
from apiscope.jobs.auth import ApiKeys
from apiscope.jobs.model import Job
from apiscope.jobs.ratelimit import RateLimiter, submitter_dependency
from apiscope.jobs.router import (
    AUTH_ERRORS,
    BODY_ERRORS,
    LIMIT_ERRORS,
    MAX_IDEMPOTENCY_KEY,
    http_errors,
)
from apiscope.jobs.schemas import AcceptedOut, JobStatusOut

STARTED = "Analysis started."


def create_analysis_router(
    engine: JobEngine,
    keys: ApiKeys,
    options: SourceOptions,
    sync_wait: float,
    limiter: RateLimiter,
) -> APIRouter:
    """The analysis endpoints, on an engine whose registry has the analysis kind."""
    router = APIRouter(tags=["analysis"], responses=AUTH_ERRORS)
    Owner = Annotated[str | None, Depends(submitter_dependency(keys, limiter))]
    IdempotencyKey = Annotated[str | None, Header(max_length=MAX_IDEMPOTENCY_KEY)]

    async def submit(request: AnalysisRequest, owner: str | None, key: str | None) -> Job:
        try:
            parse_spec(request.repo, options)
        except SourceError as exc:
            detail = [{"loc": ["body", "repo"], "msg": str(exc), "type": "value_error"}]
            raise HTTPException(422, detail) from exc
        with http_errors():
            params = request.model_dump(mode="json", exclude_none=True)
            job, _ = await engine.submit(KIND, params, owner=owner, idempotency_key=key)
        return job

    @router.post(
        "/analyze-worst-apis-with-github-async/",
        status_code=202,
        response_model=AcceptedOut,
        responses={**BODY_ERRORS, **LIMIT_ERRORS},
    )
    async def analyze_async(
        request: AnalysisRequest, owner: Owner, idempotency_key: IdempotencyKey = None
    ) -> JSONResponse:
        """Start an analysis; 202 with the job id at once. Follow it at `/status/{job_id}`."""
        return accepted(await submit(request, owner, idempotency_key), STARTED)

    @router.post(
        "/analyze-worst-apis-with-github/",
        response_model=JobStatusOut,
        responses={202: {"model": AcceptedOut}, **BODY_ERRORS, **LIMIT_ERRORS},
    )
    async def analyze(
        request: AnalysisRequest, owner: Owner, idempotency_key: IdempotencyKey = None
    ) -> JSONResponse:
        """The original synchronous endpoint: the finished job if it ends within the bound
        (default 25 s, below any gateway's limit), else 202 with the job to follow."""
        job = await submit(request, owner, idempotency_key)
        with http_errors():
            job = await engine.wait(job.id, sync_wait, owner=owner)
        if not job.is_terminal:
            return accepted(job, STARTED)
        return JSONResponse(_status(job))

    @router.post("/demo", status_code=202, response_model=AcceptedOut, responses=LIMIT_ERRORS)
    async def demo(owner: Owner) -> JSONResponse:
        """Analyse the example application shipped with apiscope; needs no network."""
        return accepted(await submit(demo_request(), owner, None), STARTED)

    return router


def _status(job: Job) -> dict[str, Any]:
    return JobStatusOut.of(job).model_dump(mode="json")
