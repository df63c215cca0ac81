"""What the model is told about one endpoint: its metrics, its code and the rules' findings.

Code goes handler first, then the functions it calls by depth, every line prefixed with its real
line number so the model can cite exact lines, and with secrets redacted. When the endpoint's
share of the token budget runs out, the handler is kept (cut if it must be, never dropped) and
the callees that do not fit are named but not shown. What was shown is recorded, because the
model's evidence is only believed within it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from apiscope.analysis.analysers.base import ApiUnderAnalysis, CodeUnit, Finding
from apiscope.analysis.analysers.llm.budget import TokenCounter
from apiscope.analysis.analysers.llm.client import Conversation, Turn
from apiscope.analysis.analysers.llm.instructions import SYSTEM
from apiscope.analysis.analysers.llm.redaction import redact

HANDLER_MIN_LINES = 20
"""Lines of the handler shown even when the budget is smaller: without them there is no point."""
CALLEE_MIN_LINES = 8
"""A called function cut shorter than this is left out instead."""
MAX_LINE_CHARS = 400
"""Longer lines (minified code, embedded data) are cut: they explain little and cost much."""
MAX_RULE_FINDINGS = 20


@dataclass(frozen=True, slots=True)
class ShownUnit:
    """A function as the model saw it: its redacted lines from `first_line`, maybe cut short."""

    unit: CodeUnit
    lines: tuple[str, ...]
    cut: bool

    @property
    def first_line(self) -> int:
        return self.unit.line_start

    @property
    def last_line(self) -> int:
        return self.unit.line_start + len(self.lines) - 1

    def snippet(self, start: int, end: int) -> str:
        """Lines `start`..`end` (inclusive, within this unit) as the model saw them."""
        return "\n".join(self.lines[start - self.first_line : end - self.first_line + 1])


@dataclass(frozen=True, slots=True)
class Prompt:
    """The conversation for one endpoint and what it showed."""

    conversation: Conversation
    shown: tuple[ShownUnit, ...]
    omitted: tuple[CodeUnit, ...]
    redactions: int
    tokens: int
    """Estimated tokens of the whole conversation."""


def build_prompt(
    api: ApiUnderAnalysis, rule_findings: Sequence[Finding], budget: int, count: TokenCounter
) -> Prompt:
    """The conversation about `api`, its code fitted into `budget` prompt tokens."""
    head, head_redactions = _redacted(_header(api) + _rules_section(rule_findings))
    units = sorted(api.context.units, key=lambda unit: unit.depth)  # stable: handler first
    left = budget - count(SYSTEM) - count(head)
    shown, redactions = _fit(units, left, count)
    omitted = tuple(units[len(shown) :])
    user = head + _code_section(shown, omitted)
    conversation = Conversation(SYSTEM, (Turn("user", user),))
    tokens = count(conversation.text())
    return Prompt(conversation, tuple(shown), omitted, head_redactions + redactions, tokens)


def _header(api: ApiUnderAnalysis) -> str:
    route = api.route
    metrics = ", ".join(
        f"{name}={value:g}" if isinstance(value, float) else f"{name}={value}"
        for name, value in api.metrics.items()
        if value is not None
    )
    return (
        f"Endpoint: {api.api}\n"
        f"Severity colour from its metrics: {api.color}\n"
        f"Observed metrics: {metrics or 'none'}\n"
        f"Route declared at {route.file}:{route.line}, handler {route.handler}"
        f" ({route.framework or 'unknown framework'})\n\n"
    )


def _rules_section(findings: Sequence[Finding]) -> str:
    if not findings:
        return "Rule-based findings for this endpoint: none.\n\n"
    lines = ["Rule-based findings for this endpoint (confirm with their rule id, or correct):"]
    for finding in findings[:MAX_RULE_FINDINGS]:
        where = ", ".join(f"{e.file}:{e.line_start}-{e.line_end}" for e in finding.evidence)
        explanation = " ".join(finding.explanation.split())[:300]
        lines.append(
            f'- rule "{finding.rule}", {finding.severity}: {finding.title}'
            f" [{where or 'no location'}] {explanation}"
        )
    return "\n".join(lines) + "\n\n"


def _fit(
    units: Sequence[CodeUnit], budget: int, count: TokenCounter
) -> tuple[list[ShownUnit], int]:
    """As many units as fit, in order; the first is always shown, at least in part."""
    shown: list[ShownUnit] = []
    redactions = 0
    for index, unit in enumerate(units):
        redacted = redact(unit.source)
        lines = tuple(redacted.text.splitlines()) or ("",)
        take = _lines_fitting(unit, lines, budget, count)
        if index == 0:
            take = max(take, min(HANDLER_MIN_LINES, len(lines)))
        elif take < min(CALLEE_MIN_LINES, len(lines)):
            break
        piece = ShownUnit(unit, lines[:take], cut=take < len(lines))
        shown.append(piece)
        redactions += redacted.count
        budget -= count(_render(piece))
        if piece.cut:
            break
    return shown, redactions


def _lines_fitting(unit: CodeUnit, lines: tuple[str, ...], budget: int, count: TokenCounter) -> int:
    """How many of the unit's first lines fit in `budget` tokens with its heading."""
    left = budget - count(_heading(unit)) - count(_cut_note(unit, len(lines)))
    for taken, line in enumerate(lines):
        left -= count(_numbered(unit.line_start + taken, line)) + 1
        if left < 0:
            return taken
    return len(lines)


def _code_section(shown: Sequence[ShownUnit], omitted: Sequence[CodeUnit]) -> str:
    parts = ["Code, the handler first, then what it calls; each line starts with its number:\n"]
    parts += [_render(piece) for piece in shown]
    if omitted:
        names = ", ".join(f"{u.name} ({u.file})" for u in omitted[:20])
        parts.append(f"[{len(omitted)} more called functions not shown (token budget): {names}]")
    return "\n".join(parts) + "\n"


def _render(piece: ShownUnit) -> str:
    body = [_numbered(piece.first_line + i, line) for i, line in enumerate(piece.lines)]
    tail = [_cut_note(piece.unit, len(piece.lines))] if piece.cut else []
    return "\n".join([_heading(piece.unit), *body, *tail]) + "\n"


def _heading(unit: CodeUnit) -> str:
    role = "handler" if unit.depth == 0 else f"called, depth {unit.depth}"
    where = f"{unit.file}:{unit.line_start}-{unit.line_end}"
    return f"### {where} {unit.name} ({role}, {unit.language})"


def _numbered(number: int, line: str) -> str:
    if len(line) > MAX_LINE_CHARS:
        line = line[:MAX_LINE_CHARS] + " [line cut]"
    return f"{number}| {line}"


def _cut_note(unit: CodeUnit, shown_lines: int) -> str:
    return f"[lines {unit.line_start + shown_lines}-{unit.line_end} not shown: token budget]"


def _redacted(text: str) -> tuple[str, int]:
    redacted = redact(text)
    return redacted.text, redacted.count
