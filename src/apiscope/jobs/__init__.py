"""apiscope.jobs: turn any long-running endpoint into an asynchronous job.

    registry = JobRegistry()

    @registry.job("report", retry=RetryPolicy(max_attempts=5))
    async def build_report(ctx: JobContext, params: ReportParams) -> dict:
        await ctx.progress(50, "Half way")
        ...

    engine = JobEngine.from_url("sqlite:///jobs.db", registry)
    app = FastAPI(lifespan=engine.lifespan)
    app.include_router(create_router(engine))

This package never imports `apiscope.analysis`.
"""

from apiscope.jobs.auth import ApiKeys
from apiscope.jobs.context import JobContext, SyncContext
from apiscope.jobs.engine import JobEngine
from apiscope.jobs.executor import ExecutorOptions
from apiscope.jobs.model import Job, JobStatus, StepState, StepStatus
from apiscope.jobs.pipeline import Pipeline, Step, StepContext, StepInputs
from apiscope.jobs.registry import JobKind, JobRegistry
from apiscope.jobs.retry import RetryPolicy
from apiscope.jobs.router import accepted, create_ops_router, create_router
from apiscope.jobs.stores import JobStore, open_store

__all__ = [
    "ApiKeys",
    "ExecutorOptions",
    "Job",
    "JobContext",
    "JobEngine",
    "JobKind",
    "JobRegistry",
    "JobStatus",
    "JobStore",
    "Pipeline",
    "RetryPolicy",
    "Step",
    "StepContext",
    "StepInputs",
    "StepState",
    "StepStatus",
    "SyncContext",
    "accepted",
    "create_ops_router",
    "create_router",
    "open_store",
]
