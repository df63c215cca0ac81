"""Merging the model's findings with the rules': confirmations replace, the rest stays."""

from __future__ import annotations

import dataclasses

from apiscope.analysis.analysers.base import Evidence, Severity
from apiscope.analysis.analysers.llm.merging import merge, unavailable
from tests.analysis.analysers.llm.conftest import baseline, rule_finding


def llm_version(rule: str, *evidence: Evidence, severity: Severity = "high"):
    return dataclasses.replace(
        rule_finding(rule=rule), title="model's title", evidence=evidence, severity=severity
    )


def test_confirmation_at_other_lines_keeps_both() -> None:
    """The same rule at lines that do not overlap is a different occurrence: both stay."""
    elsewhere = Evidence("app/api/orders.py", 40, 41, "x")
    merged = merge([llm_version("n-plus-one", elsewhere)], [rule_finding()])
    assert len(merged) == 2


def test_confirmation_without_lines_takes_the_rule_evidence() -> None:
    """A confirmation that cites nothing inherits the rule finding's evidence."""
    (merged,) = merge([llm_version("n-plus-one")], [rule_finding()])
    assert merged.title == "model's title"
    assert merged.evidence == rule_finding().evidence


def test_most_severe_first() -> None:
    """Merged findings are ordered high, medium, low."""
    low = llm_version("llm", severity="low")
    medium = dataclasses.replace(rule_finding(rule="x"), severity="medium")
    assert [f.severity for f in merge([low], [medium, rule_finding(rule="y")])] == [
        "high",
        "medium",
        "low",
    ]


def test_unavailable_without_baseline_is_an_empty_rules_analysis() -> None:
    """No rule findings to fall back on: provider rules, no findings, the warning."""
    result = unavailable(None, "anthropic", "401 Unauthorized", None)
    assert (result.provider, result.findings) == ("rules", ())
    assert result.warnings == (
        "LLM analysis unavailable (anthropic: 401 Unauthorized); showing rule-based findings",
    )


def test_unavailable_keeps_the_baseline_and_its_warnings() -> None:
    """The rule analysis is returned whole, with the LLM warning added after its own."""
    rules = dataclasses.replace(baseline(rule_finding()), warnings=("rules warning",))
    result = unavailable(rules, "openai", "timed out", {"requests": 3})
    assert result.findings == rules.findings and result.summary == rules.summary
    assert result.warnings[0] == "rules warning" and len(result.warnings) == 2
    assert result.usage == {"requests": 3}
