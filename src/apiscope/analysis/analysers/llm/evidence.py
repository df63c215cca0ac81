"""The model's answer turned into findings, believing only what the code it was shown supports.

Evidence must point into a code unit that was in the prompt: a range that overlaps one is
clamped to it (and to MAX_EVIDENCE_LINES), one that does not is dropped. The snippet always
comes from the real (redacted) source lines, never from the model's text, so a report cannot
quote code that does not exist. A rule id is kept only when it names one of the rule-based
findings the model was shown; anything else is an `llm` finding.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from apiscope.analysis.analysers.base import Evidence, Finding
from apiscope.analysis.analysers.llm.prompt import ShownUnit
from apiscope.analysis.analysers.llm.schema import Answer, EvidenceAnswer, FindingAnswer

MAX_EVIDENCE_LINES = 30
LLM_RULE = "llm"


def answer_findings(
    api: str, answer: Answer, shown: Sequence[ShownUnit], rule_ids: Iterable[str]
) -> tuple[Finding, ...]:
    """The answer's findings about `api`, with evidence checked against `shown`."""
    known = {rule.lower(): rule for rule in rule_ids}
    return tuple(_finding(api, item, shown, known) for item in answer.findings)


def _finding(
    api: str, item: FindingAnswer, shown: Sequence[ShownUnit], known: dict[str, str]
) -> Finding:
    evidence: list[Evidence] = []
    for cited in item.evidence:
        resolved = resolve(cited, shown)
        if resolved is not None and resolved not in evidence:
            evidence.append(resolved)
    return Finding(
        api=api,
        rule=known.get(item.rule.strip().lower(), LLM_RULE),
        severity=item.severity,
        title=item.title,
        explanation=item.explanation or item.title,
        evidence=tuple(evidence),
        recommendation=item.recommendation,
    )


def resolve(cited: EvidenceAnswer, shown: Sequence[ShownUnit]) -> Evidence | None:
    """The cited lines clamped into the shown unit they overlap most, or None."""
    start, end = sorted((cited.line_start, cited.line_end))
    best: tuple[int, ShownUnit] | None = None
    for piece in _same_file(cited.file, shown):
        overlap = min(end, piece.last_line) - max(start, piece.first_line) + 1
        if overlap > 0 and (best is None or overlap > best[0]):
            best = (overlap, piece)
    if best is None:
        return None
    piece = best[1]
    first = max(start, piece.first_line)
    last = min(end, piece.last_line, first + MAX_EVIDENCE_LINES - 1)
    return Evidence(piece.unit.file, first, last, piece.snippet(first, last))


def _same_file(cited: str, shown: Sequence[ShownUnit]) -> list[ShownUnit]:
    """Units of the cited file: its exact path, else the one shown path that ends with it."""
    path = cited.strip().replace("\\", "/").removeprefix("./")
    exact = [piece for piece in shown if piece.unit.file == path]
    if exact or not path:
        return exact
    tails = {piece.unit.file for piece in shown if piece.unit.file.endswith("/" + path)}
    return [piece for piece in shown if piece.unit.file in tails] if len(tails) == 1 else []
