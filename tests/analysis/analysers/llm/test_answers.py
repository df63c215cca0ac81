"""Parsing the model's answer and believing only the evidence the shown code supports."""

from __future__ import annotations

import json

import pytest

from apiscope.analysis.analysers.llm import LlmConfig
from apiscope.analysis.analysers.llm.budget import estimate_tokens
from apiscope.analysis.analysers.llm.client import response_format
from apiscope.analysis.analysers.llm.evidence import MAX_EVIDENCE_LINES, answer_findings, resolve
from apiscope.analysis.analysers.llm.prompt import build_prompt
from apiscope.analysis.analysers.llm.schema import (
    ANSWER_JSON_SCHEMA,
    MAX_FINDINGS,
    Answer,
    EvidenceAnswer,
    FindingAnswer,
    MalformedAnswer,
    parse_answer,
)
from tests.analysis.analysers.llm.conftest import callee_unit, handler_unit, make_api

FINDING = {"severity": "high", "title": "t", "explanation": "e", "recommendation": "r"}


def test_json_in_a_code_fence_with_prose_is_parsed() -> None:
    """Fences and a sentence around the object do not make the answer malformed."""
    text = 'Here you go:\n```json\n{"summary": "s", "findings": []}\n```\nHope it helps.'
    assert parse_answer(text).summary == "s"


@pytest.mark.parametrize(
    ("word", "severity"), [("Critical", "high"), ("MEDIUM", "medium"), ("minor", "low")]
)
def test_severity_words_are_normalised(word: str, severity: str) -> None:
    """Common severity words map onto high/medium/low."""
    answer = parse_answer(json.dumps({"findings": [{**FINDING, "severity": word}]}))
    assert answer.findings[0].severity == severity


def test_unknown_severity_is_malformed_and_says_where() -> None:
    """A severity outside the scale is rejected with the field's path in the message."""
    with pytest.raises(MalformedAnswer, match=r"findings\.0\.severity"):
        parse_answer(json.dumps({"findings": [{**FINDING, "severity": "urgent"}]}))


def test_text_without_json_is_malformed() -> None:
    """Prose alone is rejected."""
    with pytest.raises(MalformedAnswer, match="no JSON object"):
        parse_answer("The endpoint is slow.")


def test_missing_rule_and_line_end_get_defaults() -> None:
    """A finding without `rule` is an llm finding; evidence with only `line` is one line."""
    item = {**FINDING, "evidence": [{"file": "a.py", "line": 7}]}
    finding = parse_answer(json.dumps({"findings": [item]})).findings[0]
    assert finding.rule == "llm"
    assert (finding.evidence[0].line_start, finding.evidence[0].line_end) == (7, 7)


def test_findings_are_capped() -> None:
    """An answer with a flood of findings keeps only the first few."""
    answer = parse_answer(json.dumps({"findings": [FINDING] * 30}))
    assert len(answer.findings) == MAX_FINDINGS


def shown():
    return build_prompt(make_api(), [], 20_000, estimate_tokens).shown


def test_reversed_range_is_put_in_order() -> None:
    """`line_start` after `line_end` is read as the same range the right way round."""
    evidence = resolve(
        EvidenceAnswer(file="app/api/orders.py", line_start=13, line_end=12), shown()
    )
    assert evidence is not None and (evidence.line_start, evidence.line_end) == (12, 13)


def test_long_range_is_clamped_to_the_unit_and_a_maximum() -> None:
    """A range past the end of the unit stops at its last line, and never exceeds the cap."""
    source = "\n".join(f"line {n}" for n in range(100))
    pieces = build_prompt(
        make_api(units=(handler_unit(source, start=1),)), [], 50_000, estimate_tokens
    ).shown
    evidence = resolve(EvidenceAnswer(file="app/api/orders.py", line_start=5, line_end=900), pieces)
    assert evidence is not None
    assert (evidence.line_start, evidence.line_end) == (5, 5 + MAX_EVIDENCE_LINES - 1)
    assert evidence.snippet.splitlines()[0] == "line 4"


def test_ambiguous_bare_file_name_is_dropped() -> None:
    """`orders.py` matching two shown paths cannot be placed, so it is not believed."""
    assert resolve(EvidenceAnswer(file="orders.py", line_start=40, line_end=41), shown()) is None


def test_unique_bare_file_name_is_resolved() -> None:
    """A file name that ends exactly one shown path is taken as that path."""
    api = make_api(units=(handler_unit(), callee_unit(file="app/pricing.py")))
    pieces = build_prompt(api, [], 20_000, estimate_tokens).shown
    evidence = resolve(EvidenceAnswer(file="./pricing.py", line_start=41, line_end=41), pieces)
    assert evidence is not None and evidence.file == "app/pricing.py"


def test_unknown_rule_ids_become_llm_findings() -> None:
    """A rule id the model was not shown (invented) is not trusted."""
    answer = parse_answer(
        json.dumps(
            {"findings": [{**FINDING, "rule": "made-up-rule"}, {**FINDING, "rule": "N-PLUS-ONE"}]}
        )
    )
    findings = answer_findings("GET /x", answer, shown(), {"n-plus-one"})
    assert [f.rule for f in findings] == ["llm", "n-plus-one"]


def test_strict_json_schema_matches_the_answer_models() -> None:
    """The schema sent for structured outputs names exactly the fields the models read."""
    finding = ANSWER_JSON_SCHEMA["properties"]["findings"]["items"]
    evidence = finding["properties"]["evidence"]["items"]
    assert ANSWER_JSON_SCHEMA["required"] == list(Answer.model_fields)
    assert finding["required"] == list(FindingAnswer.model_fields)
    assert evidence["required"] == list(EvidenceAnswer.model_fields)


@pytest.mark.parametrize(
    ("base_url", "model", "kind"),
    [
        ("https://api.openai.com/v1", "gpt-4o-mini", "json_schema"),
        ("https://api.openai.com/v1", "gpt-5-mini", "json_schema"),
        ("https://api.openai.com/v1", "gpt-3.5-turbo", "json_object"),
        ("http://localhost:11434/v1", "gpt-4o-mini", "json_object"),
    ],
)
def test_structured_outputs_only_where_known_to_work(base_url: str, model: str, kind: str) -> None:
    """OpenAI's own API with a current model gets the strict schema; other servers JSON mode."""
    config = LlmConfig("openai", model, base_url)
    assert response_format(config)["type"] == kind
