"""The analysis as a job: fetch the repository, discover its routes, match the worst APIs,
analyse the matched handlers, assemble the report. Each step's output is checkpointed, so a
retried job resumes after the last finished step.

`analysis_jobs(settings, trusted=...)` builds the job kind with its dependencies (source options,
analysers) read from settings once, at the edge: the HTTP server and `apiscope worker` build it
untrusted (no local paths unless allowed), the CLI trusted.
"""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path
from typing import Any

from apiscope.analysis.analysers.base import Analysis, ApiUnderAnalysis, Progress
from apiscope.analysis.analysers.context import build_context
from apiscope.analysis.analysers.llm import build_analyser
from apiscope.analysis.analysers.rules import RuleAnalyser
from apiscope.analysis.demo import DEMO_ROOT
from apiscope.analysis.discovery import discover
from apiscope.analysis.discovery.project import Project
from apiscope.analysis.matching import matched_apis
from apiscope.analysis.report import assemble
from apiscope.analysis.request import AnalysisRequest
from apiscope.analysis.routes import Route
from apiscope.analysis.sources import CheckedOut, SourceOptions, open_source
from apiscope.errors import PermanentJobFailure, SourceError, SourceUnavailable
from apiscope.jobs import JobRegistry, Pipeline, RetryPolicy, Step, StepContext, StepInputs
from apiscope.settings import Settings

KIND = "analyze-worst-apis-with-github"
RETRY = RetryPolicy(max_attempts=3, base_delay=5, max_delay=120)


class AnalysisSteps:
    """The steps, bound to the source options and analysers chosen at the edge."""

    def __init__(self, options: SourceOptions, settings: Settings) -> None:
        self._options = options
        self._settings = settings

    async def _checkout(self, request: AnalysisRequest) -> CheckedOut:
        try:
            return await open_source(request.repo, request.branch, self._options)
        except SourceUnavailable:
            raise  # rate limit, network: worth the job's retries
        except SourceError as exc:
            raise PermanentJobFailure(str(exc)) from exc

    async def fetch(self, ctx: StepContext, inputs: StepInputs) -> dict[str, Any]:
        """Fetch the repository (or find it in the cache) at the branch's commit."""
        checked = await self._checkout(inputs.params)
        return {**checked.to_json(), "root": str(checked.root), "cached": checked.cached}

    async def _root(self, inputs: StepInputs) -> Path:
        """The checkout's folder; fetched again if a retry runs where it is not (another
        machine, a cleaned cache): same commit, so same files."""
        root = Path(inputs.outputs["fetch"]["root"])
        if await asyncio.to_thread(root.is_dir):
            return root
        return (await self._checkout(inputs.params)).root

    async def discover(self, ctx: StepContext, inputs: StepInputs) -> dict[str, Any]:
        """Find every route the repository declares (CPU-bound: off the event loop)."""
        root = await self._root(inputs)
        found = await asyncio.to_thread(discover, root)
        partial = {"routes_found": len(found.routes)}
        await ctx.progress(100, f"Discovered {len(found.routes)} APIs", partial=partial)
        return {"routes": [r.to_json() for r in found.routes], "stats": found.stats}

    async def match(self, ctx: StepContext, inputs: StepInputs) -> list[dict[str, Any]]:
        """Match each worst API to its route and colour it."""
        request: AnalysisRequest = inputs.params
        routes = [Route(**r) for r in inputs.outputs["discover"]["routes"]]
        matched = matched_apis(request.worst_apis, routes)
        found = sum(1 for m in matched if m["route"] is not None)
        message = f"Matched {found} of {len(matched)} worst APIs to code"
        await ctx.progress(100, message, partial={"matched_apis": matched})
        return matched

    async def analyse(self, ctx: StepContext, inputs: StepInputs) -> dict[str, Any]:
        """Explain the matched handlers: rules always, then the LLM when one is configured."""
        root = await self._root(inputs)
        apis = await asyncio.to_thread(_apis_under_analysis, root, inputs.outputs["match"])

        llm = build_analyser(self._settings) if apis else None
        # With an LLM, the rules are the quick first tenth of the step.
        rules_share = 10 if llm is not None else 100
        analysis: Analysis = await RuleAnalyser().analyse(
            apis, progress=_scaled(ctx, 0, rules_share, "Checked rules on")
        )
        if llm is not None:
            progress = _scaled(ctx, rules_share, 100, "AI analysed")
            analysis = await llm.analyse(apis, baseline=analysis, progress=progress)
        return analysis.to_json()

    async def report(self, ctx: StepContext, inputs: StepInputs) -> dict[str, Any]:
        """The result object of the contract."""
        return assemble(inputs.outputs)


def _scaled(ctx: StepContext, start: int, end: int, verb: str) -> Progress:
    """A per-API progress callback mapped onto [start, end] of the step."""

    async def progress(done: int, total: int) -> None:
        share = start + (end - start) * done / max(total, 1)
        await ctx.progress(share, f"{verb} {done} of {total} APIs")

    return progress


def _apis_under_analysis(root: Path, matched: list[dict[str, Any]]) -> list[ApiUnderAnalysis]:
    project = Project.scan(root)
    apis = []
    for entry in matched:
        route = entry["route"]
        if route is None:
            continue
        found = Route(framework="", **route)
        api = f"{found.method} {found.path}"
        metrics = {k: v for k, v in entry["worst_api"].items() if k not in ("method", "path")}
        context = build_context(project, found)
        apis.append(ApiUnderAnalysis(api, metrics, entry["color"], found, context))
    return apis


def analysis_pipeline(steps: AnalysisSteps, *, llm: bool) -> Pipeline:
    """The weighted steps; the analyse step's message says whether an LLM is involved."""
    analysing = "Generating AI analysis..." if llm else "Analysing code with rules..."
    return Pipeline(
        [
            Step("fetch", steps.fetch, weight=2, message="Fetching repository..."),
            Step("discover", steps.discover, weight=3, message="Discovering APIs..."),
            Step("match", steps.match, weight=1, message="Matching APIs..."),
            Step("analyse", steps.analyse, weight=3, message=analysing),
            Step("report", steps.report, weight=1, message="Writing report..."),
        ],
        params=AnalysisRequest,
    )


def source_options(settings: Settings, *, trusted: bool) -> SourceOptions:
    """Any repository for the CLI; for HTTP callers the settings' limits, plus the demo."""
    if trusted:
        return SourceOptions.for_cli(settings)
    return dataclasses.replace(SourceOptions.for_http(settings), local_roots=frozenset({DEMO_ROOT}))


def analysis_jobs(settings: Settings, *, trusted: bool) -> JobRegistry:
    """A registry with the analysis job kind, for an HTTP-facing process or the CLI."""
    options = source_options(settings, trusted=trusted)
    pipeline = analysis_pipeline(
        AnalysisSteps(options, settings), llm=settings.llm_provider != "none"
    )
    registry = JobRegistry()
    registry.register(KIND, pipeline, retry=RETRY)
    return registry
