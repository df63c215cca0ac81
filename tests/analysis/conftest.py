"""The demo analysis, run once per session through the real job engine and pipeline."""

from __future__ import annotations

from typing import Any

import pytest

from apiscope.analysis.demo import demo_request
from apiscope.analysis.pipeline import KIND, analysis_jobs
from apiscope.jobs import JobEngine, JobStatus, open_store
from apiscope.settings import Settings


async def run_analysis(params: dict[str, Any], settings: Settings | None = None):
    """Run one analysis job in-process on a memory store; the finished job."""
    registry = analysis_jobs(settings or Settings(_env_file=None), trusted=True)
    async with JobEngine(open_store("memory://"), registry).running() as engine:
        job, _ = await engine.submit(KIND, params)
        return await engine.wait(job.id, 120)


@pytest.fixture(scope="session")
def demo_result() -> dict[str, Any]:
    import asyncio

    params = demo_request().model_dump(mode="json", exclude_none=True)
    job = asyncio.run(run_analysis(params))
    assert job.status is JobStatus.COMPLETED, job.error
    return job.result
