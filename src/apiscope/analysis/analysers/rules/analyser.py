"""The rule-based analyser: every rule over every unit of every endpoint, offline.

Each endpoint's units are parsed once and checked in a worker thread, so a large context does
not stall the event loop that reports progress. Findings are deduplicated (same rule, same
lines) and ordered by severity, then by endpoint as given, then by file and line.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from apiscope.analysis.analysers.base import (
    Analysis,
    ApiUnderAnalysis,
    Evidence,
    Finding,
    Progress,
)
from apiscope.analysis.analysers.rules.base import ApiCode, Hit, Rule
from apiscope.analysis.analysers.rules.catalog import RULES
from apiscope.analysis.analysers.rules.code import Spot, display_name, parse_unit
from apiscope.analysis.analysers.rules.summaries import (
    SEVERITIES,
    Cause,
    api_summary,
    overall_summary,
)

MAX_SNIPPET_LINES = 8


class RuleAnalyser:
    """Finds known slow patterns with syntax rules; needs no network and no key."""

    name = "rules"

    def __init__(self, rules: Sequence[Rule] = RULES) -> None:
        self.rules = tuple(rules)

    async def analyse(
        self,
        apis: Sequence[ApiUnderAnalysis],
        *,
        baseline: Analysis | None = None,
        progress: Progress | None = None,
    ) -> Analysis:
        """Findings for every API; `baseline` is ignored (rules are the baseline)."""
        causes: list[list[Cause]] = []
        for done, api in enumerate(apis, start=1):
            causes.append(await asyncio.to_thread(self.causes, api))
            if progress is not None:
                await progress(done, len(apis))
        rank = {severity: index for index, severity in enumerate(SEVERITIES)}
        ordered = sorted(
            ((position, cause) for position, found in enumerate(causes) for cause in found),
            key=lambda item: (rank[item[1].finding.severity], item[0]),
        )
        everything = [cause for _, cause in ordered]
        return Analysis(
            provider=self.name,
            findings=tuple(cause.finding for cause in everything),
            summaries={
                api.api: api_summary(api, found) for api, found in zip(apis, causes, strict=True)
            },
            summary=overall_summary(apis, everything),
        )

    def causes(self, api: ApiUnderAnalysis) -> list[Cause]:
        """One endpoint's findings, deduplicated, in file and line order."""
        units = [code for code in map(parse_unit, api.context.units) if code is not None]
        code = ApiCode(api, units)
        found: dict[tuple[object, ...], Cause] = {}
        for rule in self.rules:
            for unit in units:
                if unit.language not in rule.languages:
                    continue
                for hit in rule.check(unit, code):
                    finding = _finding(api.api, rule, hit)
                    key = (rule.id, *((e.file, e.line_start, e.line_end) for e in finding.evidence))
                    found.setdefault(
                        key, Cause(finding, rule.label, display_name(hit.spots[0].unit))
                    )
        return sorted(found.values(), key=_position)


def _position(cause: Cause) -> tuple[str, int, int]:
    first = cause.finding.evidence[0]
    return first.file, first.line_start, first.line_end


def _finding(api: str, rule: Rule, hit: Hit) -> Finding:
    return Finding(
        api=api,
        rule=rule.id,
        severity=rule.severity,
        title=hit.title,
        explanation=hit.explanation,
        evidence=tuple(_evidence(spot) for spot in hit.spots),
        recommendation=hit.recommendation,
    )


def _evidence(spot: Spot) -> Evidence:
    """The spot's exact source lines, at most `MAX_SNIPPET_LINES` of them."""
    lines = spot.unit.source.split("\n")
    first = spot.start - spot.unit.line_start
    last = min(spot.end - spot.unit.line_start, first + MAX_SNIPPET_LINES - 1)
    snippet = "\n".join(line.rstrip("\r") for line in lines[first : last + 1])
    return Evidence(spot.unit.file, spot.start, spot.end, snippet)
