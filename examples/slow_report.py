"""Turn a slow endpoint of your own FastAPI app into a job, with apiscope.jobs.

Run it:  .venv/bin/uvicorn examples.slow_report:app --port 8001
Then:    curl -si -X POST localhost:8001/jobs/monthly-report -H 'content-type: application/json' \\
              -d '{"month": "2026-10"}'
         curl -s localhost:8001/status/<job_id>
"""

import asyncio

from fastapi import FastAPI
from pydantic import BaseModel

from apiscope.jobs import JobContext, JobEngine, JobRegistry, RetryPolicy, create_router

registry = JobRegistry()


class ReportParams(BaseModel):
    month: str


@registry.job("monthly-report", retry=RetryPolicy(max_attempts=5))
async def monthly_report(ctx: JobContext, params: ReportParams) -> dict[str, object]:
    """The slow work, reporting progress as it goes; it stops here if the job is cancelled."""
    for week in range(1, 5):
        await asyncio.sleep(1)  # stands in for the real queries
        await ctx.progress(week * 25, f"Summed week {week} of {params.month}")
    return {"month": params.month, "total": 1234}


engine = JobEngine.from_url("sqlite:///./.apiscope/example.db", registry)
app = FastAPI(lifespan=engine.lifespan)
app.include_router(create_router(engine))
