"""The analyser interface: what an analyser is given about each slow endpoint, and what it says.

Plain frozen records, so rules, the LLM analyser and the report are testable without parsing or
network. The JSON forms are the contract's `ai_analysis` shape (DESIGN.md).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from apiscope.analysis.routes import Route

Severity = Literal["high", "medium", "low"]


@dataclass(frozen=True, slots=True)
class Evidence:
    """Lines of code that show a finding (1-based, inclusive)."""

    file: str
    line_start: int
    line_end: int
    snippet: str

    def to_json(self) -> dict[str, Any]:
        """The contract's evidence object."""
        return {"file": self.file, "line_start": self.line_start, "line_end": self.line_end,
                "snippet": self.snippet}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Finding:
    """One likely cause of slowness in one endpoint."""

    api: str
    """The endpoint as `METHOD /route/template`."""
    rule: str
    """Stable id, e.g. `n-plus-one`, `blocking-call-in-async`; `llm` for free-form LLM findings."""
    severity: Severity
    title: str
    explanation: str
    evidence: tuple[Evidence, ...]
    recommendation: str

    def to_json(self) -> dict[str, Any]:
        """The contract's finding object."""
        return {
            "api": self.api,
            "rule": self.rule,
            "severity": self.severity,
            "title": self.title,
            "explanation": self.explanation,
            "evidence": [e.to_json() for e in self.evidence],
            "recommendation": self.recommendation,
        }


@dataclass(frozen=True, slots=True)
class CodeUnit:
    """A function (or method) of the repository: the handler, or one it calls."""

    file: str
    name: str
    language: str
    line_start: int
    line_end: int
    source: str
    depth: int = 0
    """0 for the handler, 1 for what it calls, and so on."""
    called_from: tuple[tuple[str, int], ...] = ()
    """(file, line) of each call to this unit from the other units of the context."""


@dataclass(frozen=True, slots=True)
class CodeContext:
    """The handler and the repository functions it reaches, handler first."""

    units: tuple[CodeUnit, ...] = ()

    @property
    def handler(self) -> CodeUnit | None:
        """The route's handler, when it was found."""
        return self.units[0] if self.units and self.units[0].depth == 0 else None


@dataclass(frozen=True, slots=True)
class ApiUnderAnalysis:
    """One matched worst API with everything an analyser may use."""

    api: str
    """`METHOD /route/template` (the matched route's, else as observed)."""
    metrics: Mapping[str, float | int | None]
    """p50_ms, p95_ms, p99_ms, avg_ms, error_rate, requests: whatever was observed."""
    color: str
    route: Route
    context: CodeContext


@dataclass(frozen=True)
class Analysis:
    """What an analyser concluded about a set of endpoints."""

    provider: str
    """`rules`, `openai`, `anthropic`."""
    findings: tuple[Finding, ...]
    summaries: Mapping[str, str] = field(default_factory=dict)
    """A short summary per API (key: the `api` string)."""
    summary: str = ""
    warnings: tuple[str, ...] = ()
    usage: Mapping[str, Any] | None = None
    """Tokens and estimated cost, for LLM providers."""

    def to_json(self) -> dict[str, Any]:
        """The contract's `ai_analysis` object."""
        data: dict[str, Any] = {
            "provider": self.provider,
            "findings": [f.to_json() for f in self.findings],
            "summary": self.summary,
            "summaries": dict(self.summaries),
            "warnings": list(self.warnings),
        }
        if self.usage is not None:
            data["usage"] = dict(self.usage)
        return data


Progress = Callable[[int, int], Awaitable[None]]
"""`await progress(done, total)` after each API, so the job's progress moves inside the step."""


class Analyser(Protocol):
    """Explains why endpoints are slow."""

    name: str

    async def analyse(
        self,
        apis: Sequence[ApiUnderAnalysis],
        *,
        baseline: Analysis | None = None,
        progress: Progress | None = None,
    ) -> Analysis:
        """Findings for every API. `baseline` carries the rule findings to an LLM analyser."""
        ...
