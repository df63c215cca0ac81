"""The sentences a report leads with: one per endpoint, one for the whole analysis."""

from __future__ import annotations

import posixpath
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from apiscope.analysis.analysers.base import ApiUnderAnalysis, Finding, Severity

SEVERITIES: tuple[Severity, ...] = ("high", "medium", "low")


@dataclass(frozen=True, slots=True)
class Cause:
    """A finding with the words a summary names it by."""

    finding: Finding
    label: str
    """The rule's label: `N+1 queries`."""
    where: str
    """The function it is in: `get_orders`."""


def api_summary(api: ApiUnderAnalysis, causes: Sequence[Cause]) -> str:
    """`2 likely causes: N+1 queries in get_orders (orders.py:42); …`, or what was looked at."""
    units = api.context.units
    if not units:
        return "The handler was not found in the repository, so no code was analysed."
    if not causes:
        return f"No known slow pattern found in {_scope(len(units))}."
    rank = {severity: index for index, severity in enumerate(SEVERITIES)}
    grouped: dict[tuple[str, str], list[str]] = {}
    for cause in sorted(causes, key=lambda c: rank[c.finding.severity]):
        grouped.setdefault((cause.label, cause.where), []).append(_location(cause.finding))
    noun = "cause" if len(causes) == 1 else "causes"
    parts = "; ".join(
        f"{label} in {where} ({', '.join(places)})" for (label, where), places in grouped.items()
    )
    return f"{len(causes)} likely {noun}: {parts}"


def overall_summary(apis: Sequence[ApiUnderAnalysis], causes: Sequence[Cause]) -> str:
    """Counts across all endpoints, by severity, and what could not be analysed."""
    missing = sum(1 for api in apis if not api.context.units)
    analysed = len(apis) - missing
    if not causes:
        text = f"No known slow pattern found in the {_endpoints(analysed)} analysed."
    else:
        with_causes = len({c.finding.api for c in causes})
        counts = Counter(c.finding.severity for c in causes)
        by_severity = ", ".join(f"{counts[s]} {s}" for s in SEVERITIES if counts[s])
        noun = "cause" if len(causes) == 1 else "causes"
        text = (
            f"{len(causes)} likely {noun} in {with_causes} of {_endpoints(analysed)} "
            f"({by_severity})."
        )
    if missing:
        text += f" The handler of {_endpoints(missing)} was not found in the repository."
    return text


def _scope(units: int) -> str:
    called = units - 1
    if called == 0:
        return "the handler"
    return f"the handler and the {called} function{'s' if called > 1 else ''} it calls"


def _endpoints(count: int) -> str:
    return f"{count} endpoint{'s' if count != 1 else ''}"


def _location(finding: Finding) -> str:
    first = finding.evidence[0]
    return f"{posixpath.basename(first.file)}:{first.line_start}"
