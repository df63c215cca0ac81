"""Failures of the provider, over real HTTP: retried when worth it, else rule findings + warning."""

from __future__ import annotations

import json
import logging

import pytest
from pydantic import SecretStr

from tests.analysis.analysers.llm.conftest import analyser_for, baseline, make_api, rule_finding
from tests.analysis.analysers.llm.fake_llm import FakeLlm, Reply

WRONG_KEY = "sk-wrong-9876543210zyxwvutsrqponmlk"


def _error(message: str, code: str | None = None) -> dict:
    return {"error": {"message": message, "type": "error", "code": code}}


async def test_malformed_answer_is_reasked_with_the_error_then_used(fake: FakeLlm) -> None:
    """A non-JSON answer gets one re-ask quoting what was wrong; a good second answer is used."""
    fake.then(Reply(text="Sure! The endpoint is slow because of N+1 queries."))
    analyser, _ = analyser_for(fake)
    result = await analyser.analyse([make_api()])
    assert result.provider == "openai" and result.findings
    _, second = fake.received
    assert [t["role"] for t in second.turns] == ["user", "assistant", "user"]
    assert second.turns[1]["content"] == "Sure! The endpoint is slow because of N+1 queries."
    assert "no JSON object" in second.turns[2]["content"]
    assert result.usage is not None and result.usage["requests"] == 2
    assert result.usage["prompt_tokens"] == 2000  # the rejected answer was paid for too


async def test_answer_of_the_wrong_form_is_reasked_with_the_validation_error(fake: FakeLlm) -> None:
    """JSON that breaks the schema is re-asked with the field at fault named."""
    bad = {"summary": "s", "findings": [{"severity": "urgent", "title": "t"}]}
    fake.then(Reply(text=json.dumps(bad)))
    analyser, _ = analyser_for(fake)
    await analyser.analyse([make_api()])
    assert "findings.0.severity" in fake.received[1].turns[2]["content"]


async def test_malformed_twice_degrades_to_rules_with_a_warning(fake: FakeLlm) -> None:
    """Two unusable answers: the job keeps the rule findings and says the LLM failed."""
    fake.then(Reply(text="not json"), Reply(text="{still not json"))
    analyser, _ = analyser_for(fake)
    rules = baseline(rule_finding())
    result = await analyser.analyse([make_api()], baseline=rules)
    assert result.provider == "rules"
    assert result.findings == rules.findings
    (warning,) = result.warnings
    assert warning.startswith("LLM analysis unavailable (openai: malformed answer after 2 attempts")
    assert warning.endswith("; showing rule-based findings")
    assert len(fake.received) == 2


async def test_429_waits_for_retry_after_then_succeeds(fake: FakeLlm) -> None:
    """A 429 with Retry-After is retried after at least that many seconds."""
    fake.then(Reply(429, _error("Rate limit reached"), headers={"Retry-After": "7"}))
    analyser, sleep = analyser_for(fake)
    result = await analyser.analyse([make_api()])
    assert result.provider == "openai" and result.findings
    assert len(fake.received) == 2
    (delay,) = sleep.delays
    assert delay >= 7


async def test_retry_after_ms_is_honoured(fake: FakeLlm) -> None:
    """OpenAI's `retry-after-ms` header counts as the wait, in milliseconds."""
    fake.then(Reply(429, _error("Rate limit"), headers={"retry-after-ms": "2500"}))
    analyser, sleep = analyser_for(fake)
    await analyser.analyse([make_api()])
    assert sleep.delays[0] >= 2.5


async def test_retry_after_beyond_the_limit_is_not_waited_for(fake: FakeLlm) -> None:
    """A server asking for an hour's wait ends the attempts instead of stalling the job."""
    fake.then(Reply(429, _error("Rate limit"), headers={"Retry-After": "3600"}))
    analyser, sleep = analyser_for(fake)
    result = await analyser.analyse([make_api()])
    assert sleep.delays == []
    assert result.provider == "rules"
    assert "asked to wait 3600 s" in result.warnings[0]


async def test_500_is_retried_with_backoff_then_succeeds(fake: FakeLlm) -> None:
    """A server error is retried after a backoff, and the second answer is used."""
    fake.then(Reply(500, _error("The server had an error")))
    analyser, sleep = analyser_for(fake)
    result = await analyser.analyse([make_api()])
    assert result.provider == "openai" and result.findings
    assert len(fake.received) == 2 and len(sleep.delays) == 1


async def test_server_errors_until_the_attempts_run_out_degrade(fake: FakeLlm) -> None:
    """A 503 on every attempt ends as rule findings with the status and attempts in the warning."""
    fake.then(*[Reply(503, _error("overloaded"))] * 3)
    analyser, _ = analyser_for(fake)
    result = await analyser.analyse([make_api()], baseline=baseline(rule_finding()))
    assert result.provider == "rules"
    assert "503 Service Unavailable: overloaded after 3 attempts" in result.warnings[0]
    assert len(fake.received) == 3


async def test_timeout_is_retried_then_degrades(fake: FakeLlm) -> None:
    """A server slower than the client's timeout: every attempt times out, rules are shown."""
    fake.then(*[Reply(delay=3.0)] * 3)
    analyser, _ = analyser_for(fake, timeout=0.3)
    result = await analyser.analyse([make_api()], baseline=baseline(rule_finding()))
    assert result.provider == "rules"
    assert result.warnings == (
        "LLM analysis unavailable (openai: timed out after 0.3 s after 3 attempts);"
        " showing rule-based findings",
    )
    assert len(fake.received) == 3


async def test_auth_error_degrades_at_once_without_retries(
    fake: FakeLlm, caplog: pytest.LogCaptureFixture
) -> None:
    """A 401 stops every request of the job at the first, with no retry and no key shown."""
    caplog.set_level(logging.DEBUG)
    analyser, sleep = analyser_for(fake, api_key=SecretStr(WRONG_KEY), max_concurrency=1)
    apis = [make_api("/a"), make_api("/b"), make_api("/c")]
    result = await analyser.analyse(apis, baseline=baseline(rule_finding()))
    assert len(fake.received) == 1 and sleep.delays == []
    assert result.provider == "rules"
    assert result.warnings == (
        "LLM analysis unavailable (openai: 401 Unauthorized); showing rule-based findings",
    )
    assert WRONG_KEY not in json.dumps(result.to_json())
    assert WRONG_KEY not in caplog.text


async def test_quota_exhausted_429_is_not_retried(fake: FakeLlm) -> None:
    """OpenAI's 429 `insufficient_quota` will not pass by waiting: no retry, rules shown."""
    fake.then(Reply(429, _error("You exceeded your current quota", "insufficient_quota")))
    analyser, sleep = analyser_for(fake)
    result = await analyser.analyse([make_api()])
    assert sleep.delays == [] and len(fake.received) == 1
    assert "429 Too Many Requests: You exceeded your current quota" in result.warnings[0]


async def test_one_failing_endpoint_keeps_its_rules_and_is_named(fake: FakeLlm) -> None:
    """A 400 about one endpoint leaves the others explained and names it in a warning."""
    fake.then(Reply(400, _error("context_length_exceeded")))
    analyser, _ = analyser_for(fake, max_concurrency=1)
    rules = baseline(rule_finding("GET /a", "slow-loop"), rule_finding("GET /b", "slow-loop"))
    result = await analyser.analyse([make_api("/a"), make_api("/b")], baseline=rules)
    assert result.provider == "openai"
    assert result.warnings == (
        "LLM analysis failed for GET /a (400 Bad Request: context_length_exceeded);"
        " showing its rule-based findings",
    )
    assert {(f.api, f.rule) for f in result.findings} == {
        ("GET /a", "slow-loop"),
        ("GET /b", "llm"),
        ("GET /b", "slow-loop"),
    }


async def test_unreachable_server_degrades(fake: FakeLlm) -> None:
    """Nothing listening at the base URL: retried, then rules with a 'cannot reach' warning."""
    analyser, sleep = analyser_for(fake, base_url="http://127.0.0.1:9/v1")
    result = await analyser.analyse([make_api()])
    assert result.provider == "rules" and len(sleep.delays) == 2
    assert "cannot reach 127.0.0.1:9 (ConnectError) after 3 attempts" in result.warnings[0]


async def test_concurrency_limit_is_respected(fake: FakeLlm) -> None:
    """No more requests are in flight at once than the configured limit."""
    fake.crowd = 2
    analyser, _ = analyser_for(fake, max_concurrency=2)
    apis = [make_api(f"/orders/{n}") for n in range(6)]
    result = await analyser.analyse(apis)
    assert len(fake.received) == 6 and len(result.findings) == 6
    assert fake.max_in_flight == 2


async def test_missing_key_sends_nothing_and_says_which_variable(fake: FakeLlm) -> None:
    """The public API without a key: no request, rules shown, OPENAI_API_KEY named."""
    analyser, _ = analyser_for(fake, api_key=None, base_url="https://api.openai.com/v1")
    result = await analyser.analyse([make_api()], baseline=baseline(rule_finding()))
    assert result.warnings == (
        "LLM analysis unavailable (openai: OPENAI_API_KEY is not set); showing rule-based findings",
    )
    assert fake.received == []
