"""The apiscope service: the FastAPI application assembled from settings."""

from __future__ import annotations

import importlib
from datetime import timedelta

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from apiscope import __version__
from apiscope.analysis.api import create_analysis_router
from apiscope.analysis.pipeline import analysis_jobs, source_options
from apiscope.body_limit import BodyLimitMiddleware
from apiscope.errors import ConfigurationError
from apiscope.jobs import ApiKeys, ExecutorOptions, JobEngine, JobRegistry, open_store
from apiscope.jobs.ratelimit import RateLimiter
from apiscope.jobs.router import create_ops_router, create_router
from apiscope.settings import Settings
from apiscope.web import DeepLinkMiddleware, create_web_router


def load_registry(settings: Settings) -> JobRegistry:
    """apiscope's own job kinds plus those named by `APISCOPE_JOB_KINDS`."""
    registry = analysis_jobs(settings, trusted=False)
    for spec in settings.job_kinds:
        module_name, _, attribute = spec.partition(":")
        try:
            extra = getattr(importlib.import_module(module_name), attribute or "registry")
        except (ImportError, AttributeError) as exc:
            raise ConfigurationError(f"cannot load job kinds from {spec!r}: {exc}") from exc
        if not isinstance(extra, JobRegistry):
            raise ConfigurationError(f"{spec!r} is not a JobRegistry")
        registry.include(extra)
    return registry


def build_engine(settings: Settings, *, execute: bool = True) -> JobEngine:
    """The job engine the settings describe (not started)."""
    store = open_store(settings.store, retention=timedelta(seconds=settings.job_retention_seconds))
    options = ExecutorOptions(
        concurrency=settings.concurrency,
        lease=timedelta(seconds=settings.job_lease_seconds),
        poll_interval=settings.poll_interval_seconds,
        shutdown_grace=settings.shutdown_grace_seconds,
    )
    return JobEngine(store, load_registry(settings), execute=execute, options=options)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    """422 naming each bad field; the submitted input is not echoed back."""
    assert isinstance(exc, RequestValidationError)
    errors = [{k: v for k, v in e.items() if k != "input"} for e in exc.errors()]
    return JSONResponse({"detail": jsonable_encoder(errors)}, status_code=422)


def create_app(settings: Settings | None = None, *, execute: bool = True) -> FastAPI:
    """The service: job API, operations endpoints; jobs run in-process unless `execute=False`."""
    settings = settings or Settings()
    engine = build_engine(settings, execute=execute)

    app = FastAPI(title="apiscope", version=__version__, lifespan=engine.lifespan)
    app.state.engine = engine
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_exception_handler(RequestValidationError, _validation_error)
    keys = ApiKeys(settings.api_keys)
    limiter = RateLimiter(settings.submit_rate_per_minute, settings.submit_burst)
    app.include_router(create_router(engine, keys, limiter))
    options = source_options(settings, trusted=False)
    wait = settings.sync_wait_seconds
    app.include_router(create_analysis_router(engine, keys, options, wait, limiter))
    app.include_router(create_ops_router(engine))
    app.add_middleware(DeepLinkMiddleware)
    app.include_router(create_web_router())
    return app
