"""One analysis from the model's findings and the rules' findings, or the rules' alone.

A rule finding the model confirmed (same rule id, overlapping lines or no lines of its own) is
replaced by the model's version, which explains it for this endpoint; the model's version takes
the rule's evidence when it cited none. Rule findings the model did not confirm stay: the model
may have missed them, and they are cheap to check. Endpoints the model could not explain keep
their rule findings, and a warning says so.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from apiscope.analysis.analysers.base import Analysis, Evidence, Finding
from apiscope.analysis.analysers.llm.evidence import LLM_RULE

_RANK = {"high": 0, "medium": 1, "low": 2}


@dataclass(frozen=True, slots=True)
class Explained:
    """What the model said about one endpoint."""

    api: str
    findings: tuple[Finding, ...]
    summary: str


def rule_findings(baseline: Analysis | None, api: str) -> tuple[Finding, ...]:
    """The baseline's findings about `api`."""
    return tuple(f for f in baseline.findings if f.api == api) if baseline else ()


def merge(llm: Sequence[Finding], rules: Sequence[Finding]) -> tuple[Finding, ...]:
    """The model's findings and the rule findings it did not confirm, most severe first."""
    merged: list[Finding] = []
    remaining = list(rules)
    for finding in llm:
        if finding.rule != LLM_RULE:
            twins = [r for r in remaining if r.rule == finding.rule and _covers(finding, r)]
            remaining = [r for r in remaining if r not in twins]
            if twins and not finding.evidence:
                evidence = tuple(dict.fromkeys(e for twin in twins for e in twin.evidence))
                finding = dataclasses.replace(finding, evidence=evidence)
        merged.append(finding)
    return tuple(sorted(dict.fromkeys(merged + remaining), key=lambda f: _RANK[f.severity]))


def _covers(confirmed: Finding, rule: Finding) -> bool:
    """Whether a confirmation is about this rule finding: no lines of its own, or shared ones."""
    if not confirmed.evidence or not rule.evidence:
        return True
    return any(_overlap(a, b) for a in confirmed.evidence for b in rule.evidence)


def _overlap(a: Evidence, b: Evidence) -> bool:
    return a.file == b.file and a.line_start <= b.line_end and b.line_start <= a.line_end


def assemble(
    provider: str,
    apis: Sequence[str],
    explained: Mapping[str, Explained],
    baseline: Analysis | None,
    warnings: Sequence[str],
    usage: Mapping[str, Any],
) -> Analysis:
    """The analysis of every endpoint: merged where the model answered, rules elsewhere."""
    findings: list[Finding] = []
    for api in apis:
        rules = rule_findings(baseline, api)
        findings += merge(explained[api].findings, rules) if api in explained else rules
    if baseline is not None:  # findings about endpoints not given to this analyser
        findings += [f for f in baseline.findings if f.api not in set(apis)]
    summaries = dict(baseline.summaries) if baseline else {}
    summaries |= {api: e.summary for api, e in explained.items() if e.summary}
    return Analysis(
        provider=provider,
        findings=tuple(findings),
        summaries=summaries,
        summary=_summary(provider, usage, len(explained), len(apis), findings),
        warnings=(*(baseline.warnings if baseline else ()), *warnings),
        usage=usage,
    )


def unavailable(
    baseline: Analysis | None, provider: str, reason: str, usage: Mapping[str, Any] | None
) -> Analysis:
    """The rule-based analysis with a warning saying the LLM could not help, and why."""
    warning = f"LLM analysis unavailable ({provider}: {reason}); showing rule-based findings"
    if baseline is None:
        return Analysis(provider="rules", findings=(), warnings=(warning,), usage=usage)
    return dataclasses.replace(
        baseline, warnings=(*baseline.warnings, warning), usage=usage or baseline.usage
    )


def _summary(
    provider: str, usage: Mapping[str, Any], explained: int, total: int, findings: list[Finding]
) -> str:
    counts = {level: sum(f.severity == level for f in findings) for level in _RANK}
    levels = ", ".join(f"{n} {level}" for level, n in counts.items() if n)
    return (
        f"{provider} ({usage.get('model', 'unknown model')}) explained {explained} of {total}"
        f" endpoints; {len(findings)} findings" + (f" ({levels})." if levels else ".")
    )
