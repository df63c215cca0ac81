"""The apiscope service: the FastAPI application assembled from settings."""

from __future__ import annotations

import importlib
from datetime import timedelta

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse

from apiscope import __version__
from apiscope.body_limit import BodyLimitMiddleware
from apiscope.errors import ConfigurationError
from apiscope.jobs import ApiKeys, ExecutorOptions, JobEngine, JobRegistry, open_store
from apiscope.jobs.router import create_ops_router, create_router
from apiscope.settings import Settings


def load_registry(specs: list[str]) -> JobRegistry:
    """apiscope's own job kinds plus those named by `module:attribute` specs."""
    registry = JobRegistry()
    for spec in specs:
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
    return JobEngine(store, load_registry(settings.job_kinds), execute=execute, options=options)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    """422 naming each bad field; the submitted input is not echoed back."""
    assert isinstance(exc, RequestValidationError)
    errors = [{k: v for k, v in e.items() if k != "input"} for e in exc.errors()]
    return JSONResponse({"detail": errors}, status_code=422)


def create_app(settings: Settings | None = None, *, execute: bool = True) -> FastAPI:
    """The service: job API, operations endpoints; jobs run in-process unless `execute=False`."""
    settings = settings or Settings()
    engine = build_engine(settings, execute=execute)

    app = FastAPI(title="apiscope", version=__version__, lifespan=engine.lifespan)
    app.state.engine = engine
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.include_router(create_router(engine, ApiKeys(settings.api_keys)))
    app.include_router(create_ops_router(engine))

    @app.get("/", include_in_schema=False)
    async def home() -> RedirectResponse:
        return RedirectResponse("/docs")

    return app
