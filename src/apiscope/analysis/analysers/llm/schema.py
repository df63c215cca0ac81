"""The answer the model must give, validated with Pydantic before anything of it is used.

Lenient where leniency is harmless (code fences around the JSON, `"Critical"` for `high`, a
missing `line_end`), strict where it matters (a severity we cannot map, findings that are not
objects): a strict failure becomes `MalformedAnswer`, whose message is sent back to the model
in the one re-ask it gets.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from apiscope.analysis.analysers.llm.provider_errors import ProviderError

MAX_FINDINGS = 8
_SEVERITY_ALIASES = {
    "critical": "high",
    "major": "high",
    "moderate": "medium",
    "minor": "low",
    "info": "low",
}


class MalformedAnswer(ProviderError):
    """The model's text is not JSON of the expected form; the message says what is wrong."""


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class EvidenceAnswer(_Lenient):
    """Lines the model cites; checked against the code it was shown before use."""

    file: str
    line_start: int
    line_end: int

    @model_validator(mode="before")
    @classmethod
    def _one_line(cls, data: Any) -> Any:
        """`{"file", "line"}` or a missing `line_end` means a single line."""
        if isinstance(data, dict):
            data = dict(data)
            data.setdefault("line_start", data.get("line"))
            data.setdefault("line_end", data.get("line_start"))
        return data


class FindingAnswer(_Lenient):
    """One cause, as the model states it."""

    rule: str = "llm"
    severity: Literal["high", "medium", "low"]
    title: str = Field(min_length=1)
    explanation: str = ""
    evidence: list[EvidenceAnswer] = Field(default_factory=list)
    recommendation: str = ""

    @field_validator("severity", mode="before")
    @classmethod
    def _severity_word(cls, value: Any) -> Any:
        if isinstance(value, str):
            word = value.strip().lower()
            return _SEVERITY_ALIASES.get(word, word)
        return value

    @field_validator("title")
    @classmethod
    def _short_title(cls, value: str) -> str:
        return " ".join(value.split())[:200]

    @field_validator("rule", mode="before")
    @classmethod
    def _rule_or_llm(cls, value: Any) -> Any:
        return value if isinstance(value, str) and value.strip() else "llm"


class Answer(_Lenient):
    """The whole answer about one endpoint."""

    summary: str = ""
    findings: list[FindingAnswer] = Field(default_factory=list)

    @field_validator("findings")
    @classmethod
    def _at_most(cls, value: list[FindingAnswer]) -> list[FindingAnswer]:
        return value[:MAX_FINDINGS]


def _strict_object(properties: dict[str, Any]) -> dict[str, Any]:
    """An object schema in the form OpenAI's strict structured outputs accept."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


_STRING = {"type": "string"}
ANSWER_JSON_SCHEMA: dict[str, Any] = _strict_object(
    {
        "summary": _STRING,
        "findings": {
            "type": "array",
            "items": _strict_object(
                {
                    "rule": _STRING,
                    "severity": {"type": "string", "enum": ["high", "medium", "low"]},
                    "title": _STRING,
                    "explanation": _STRING,
                    "evidence": {
                        "type": "array",
                        "items": _strict_object(
                            {
                                "file": _STRING,
                                "line_start": {"type": "integer"},
                                "line_end": {"type": "integer"},
                            }
                        ),
                    },
                    "recommendation": _STRING,
                }
            ),
        },
    }
)
"""`Answer` as a JSON Schema for providers that enforce one (written out, not generated: the
models above are lenient on purpose, which strict mode does not allow)."""


def parse_answer(text: str) -> Answer:
    """The answer in `text`, or `MalformedAnswer` saying what is wrong with it."""
    body = _json_object(text)
    if body is None:
        raise MalformedAnswer("the answer contains no JSON object")
    try:
        return Answer.model_validate_json(body)
    except ValidationError as exc:
        raise MalformedAnswer(_describe(exc)) from exc


def _json_object(text: str) -> str | None:
    """From the first `{` to the last `}`: drops code fences and any prose around the object."""
    start, end = text.find("{"), text.rfind("}")
    return text[start : end + 1] if 0 <= start < end else None


def _describe(error: ValidationError) -> str:
    """The first few problems, one line: `findings.0.severity: Input should be ...`."""
    problems = []
    for item in error.errors()[:3]:
        where = ".".join(str(part) for part in item["loc"]) or "answer"
        problems.append(f"{where}: {item['msg']}")
    more = error.error_count() - len(problems)
    return "; ".join(problems) + (f" (and {more} more)" if more > 0 else "")
