"""The analyser against a fake Anthropic messages API, through the real httpx client."""

from __future__ import annotations

from pydantic import SecretStr

from apiscope.analysis.analysers.llm.client import ANTHROPIC_VERSION
from tests.analysis.analysers.llm.conftest import analyser_for, baseline, make_api, rule_finding
from tests.analysis.analysers.llm.fake_llm import FakeLlm, Reply


async def test_good_answer_through_the_messages_api(fake: FakeLlm) -> None:
    """A valid answer from /v1/messages becomes findings, priced for the Claude model."""
    analyser, _ = analyser_for(fake, "anthropic")
    result = await analyser.analyse([make_api()])
    assert result.provider == "anthropic"
    assert [f.title for f in result.findings] == ["Query inside a loop"]
    assert result.usage is not None
    assert result.usage["estimated_cost_usd"] == 0.0016  # 1000 x $0.80/M + 200 x $4/M


async def test_request_shape_and_headers(fake: FakeLlm) -> None:
    """The key goes in x-api-key with the API version; the system prompt is a top-level field."""
    analyser, _ = analyser_for(fake, "anthropic")
    await analyser.analyse([make_api()])
    (request,) = fake.received
    assert request.path == "/v1/messages"
    assert request.headers["x-api-key"] == fake.key
    assert request.headers["anthropic-version"] == ANTHROPIC_VERSION
    assert "authorization" not in request.headers
    body = request.json
    assert "JSON" in body["system"]
    assert [m["role"] for m in body["messages"]] == ["user"]
    assert body["model"] == "claude-3-5-haiku-latest" and body["max_tokens"] > 0


async def test_overloaded_529_is_retried(fake: FakeLlm) -> None:
    """Anthropic's 529 overloaded_error is transient: retried, then the answer is used."""
    overloaded = {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
    fake.then(Reply(529, overloaded))
    analyser, sleep = analyser_for(fake, "anthropic")
    result = await analyser.analyse([make_api()])
    assert result.provider == "anthropic" and result.findings
    assert len(sleep.delays) == 1


async def test_fenced_json_answer_is_accepted(fake: FakeLlm) -> None:
    """Claude often wraps JSON in a code fence; the answer is used without a re-ask."""
    fence = '```json\n{"summary": "s", "findings": []}\n```'
    fake.then(Reply(text=fence))
    analyser, _ = analyser_for(fake, "anthropic")
    result = await analyser.analyse([make_api()])
    assert len(fake.received) == 1
    assert result.summaries["GET /orders/{user_id}"] == "s"


async def test_bad_key_degrades_without_quoting_it(fake: FakeLlm) -> None:
    """A rejected key: one request, rule findings, and the echoed key nowhere in the result."""
    wrong = "sk-ant-wrong-000000000000000000000000"
    analyser, _ = analyser_for(fake, "anthropic", api_key=SecretStr(wrong))
    result = await analyser.analyse([make_api()], baseline=baseline(rule_finding()))
    assert result.warnings == (
        "LLM analysis unavailable (anthropic: 401 Unauthorized); showing rule-based findings",
    )
    assert wrong not in str(result.to_json())
    assert len(fake.received) == 1
