"""The analyser against a fake OpenAI-compatible server, through the real httpx client."""

from __future__ import annotations

import json

from apiscope.analysis.analysers.llm import LlmAnalyser
from tests.analysis.analysers.llm.conftest import (
    HANDLER,
    analyser_for,
    baseline,
    config_for,
    make_api,
    rule_finding,
)
from tests.analysis.analysers.llm.fake_llm import FakeLlm


async def test_good_answer_becomes_findings_with_real_snippets(fake: FakeLlm) -> None:
    """A valid answer yields the model's finding, its evidence snippet taken from the source."""
    analyser, _ = analyser_for(fake)
    result = await analyser.analyse([make_api()])
    assert result.provider == "openai"
    assert result.warnings == ()
    (finding,) = result.findings
    assert (finding.rule, finding.severity, finding.title) == ("llm", "high", "Query inside a loop")
    (evidence,) = finding.evidence
    assert (evidence.file, evidence.line_start, evidence.line_end) == ("app/api/orders.py", 12, 13)
    assert evidence.snippet == "\n".join(HANDLER.splitlines()[2:4])
    assert result.summaries == {
        "GET /orders/{user_id}": "One query per order makes the endpoint slow."
    }


async def test_request_is_json_mode_chat_completion_with_bearer_key(fake: FakeLlm) -> None:
    """The request goes to /v1/chat/completions in JSON mode, with the key as a Bearer token."""
    analyser, _ = analyser_for(fake)
    await analyser.analyse([make_api()])
    (request,) = fake.received
    body = request.json
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == f"Bearer {fake.key}"
    assert body["model"] == "gpt-4o-mini"
    assert body["response_format"] == {"type": "json_object"}
    assert body["messages"][0]["role"] == "system"
    assert "JSON" in body["messages"][0]["content"]


async def test_prompt_carries_metrics_route_rules_and_numbered_code(fake: FakeLlm) -> None:
    """The user message holds the metrics, colour, route, rule findings and numbered code lines."""
    analyser, _ = analyser_for(fake)
    await analyser.analyse([make_api()], baseline=baseline(rule_finding()))
    prompt = fake.received[0].prompt
    assert "Endpoint: GET /orders/{user_id}" in prompt
    assert "p95_ms=2300" in prompt and "requests=12000" in prompt
    assert "colour from its metrics: red" in prompt
    assert "app/api/orders.py:10, handler list_orders (fastapi)" in prompt
    assert 'rule "n-plus-one", high: Query in a loop' in prompt
    assert "13|     for order in orders:" in prompt
    assert prompt.index("### app/api/orders.py") < prompt.index("### app/services/orders.py")


async def test_usage_and_cost_are_reported(fake: FakeLlm) -> None:
    """Usage adds up the provider's token counts and prices them for a known model."""
    analyser, _ = analyser_for(fake)
    result = await analyser.analyse([make_api("/a"), make_api("/b")])
    assert result.usage is not None
    assert {k: result.usage[k] for k in ("provider", "model", "requests")} == {
        "provider": "openai",
        "model": "gpt-4o-mini",
        "requests": 2,
    }
    assert (result.usage["prompt_tokens"], result.usage["completion_tokens"]) == (2000, 400)
    assert result.usage["estimated_cost_usd"] == 0.00054  # 2000 x $0.15/M + 400 x $0.60/M


async def test_cost_is_null_for_a_model_without_a_price(fake: FakeLlm) -> None:
    """A model outside the price table (a local one) reports tokens but a null cost."""
    analyser, _ = analyser_for(fake, model="llama3.1:8b")
    result = await analyser.analyse([make_api()])
    assert result.usage is not None
    assert result.usage["total_tokens"] == 1200
    assert result.usage["estimated_cost_usd"] is None


async def test_confirmed_rule_finding_is_merged_not_duplicated(fake: FakeLlm) -> None:
    """A rule finding the model confirms appears once, in the model's words, with its rule id."""
    fake.answer = lambda prompt: {
        "summary": "N+1.",
        "findings": [
            {
                "rule": "n-plus-one",
                "severity": "high",
                "title": "N+1 over orders",
                "explanation": "12000 requests each run one query per order.",
                "evidence": [{"file": "app/api/orders.py", "line_start": 13, "line_end": 14}],
                "recommendation": "Use selectinload.",
            }
        ],
    }
    analyser, _ = analyser_for(fake)
    result = await analyser.analyse([make_api()], baseline=baseline(rule_finding()))
    (finding,) = result.findings
    assert (finding.rule, finding.title) == ("n-plus-one", "N+1 over orders")
    assert result.provider == "openai"


async def test_unconfirmed_rule_findings_are_kept(fake: FakeLlm) -> None:
    """Rule findings the model did not mention stay in the result next to the model's."""
    analyser, _ = analyser_for(fake)
    other = rule_finding(rule="missing-pagination")
    result = await analyser.analyse([make_api()], baseline=baseline(other))
    assert sorted(f.rule for f in result.findings) == ["llm", "missing-pagination"]


async def test_evidence_outside_the_shown_code_is_dropped_and_ranges_clamped(fake: FakeLlm) -> None:
    """Cited lines outside every shown unit are dropped; a range running past a unit is clamped."""
    fake.answer = lambda prompt: {
        "summary": "s",
        "findings": [
            {
                "severity": "medium",
                "title": "t",
                "explanation": "e",
                "recommendation": "r",
                "evidence": [
                    {"file": "app/api/orders.py", "line_start": 500, "line_end": 510},
                    {"file": "elsewhere.py", "line_start": 1, "line_end": 2},
                    {
                        "file": "orders.py",
                        "line_start": 14,
                        "line_end": 99,
                        "snippet": "made-up code",
                    },
                ],
            }
        ],
    }
    analyser, _ = analyser_for(fake, max_concurrency=1)
    api = make_api(units=(make_api().context.units[0],))
    (finding,) = (await analyser.analyse([api])).findings
    (evidence,) = finding.evidence
    assert (evidence.file, evidence.line_start, evidence.line_end) == ("app/api/orders.py", 14, 15)
    assert "made-up" not in evidence.snippet
    assert evidence.snippet.endswith("return [serialize(order) for order in orders]")


async def test_two_urls_of_one_route_are_asked_about_once(fake: FakeLlm) -> None:
    """Endpoints repeated in the input (two URLs of one route) cost one request."""
    analyser, _ = analyser_for(fake)
    result = await analyser.analyse([make_api(), make_api()])
    assert len(fake.received) == 1
    assert len(result.findings) == 1


async def test_progress_is_reported_per_endpoint(fake: FakeLlm) -> None:
    """The progress callback hears once per endpoint, ending at total."""
    calls: list[tuple[int, int]] = []

    async def progress(done: int, total: int) -> None:
        calls.append((done, total))

    analyser, _ = analyser_for(fake)
    await analyser.analyse([make_api("/a"), make_api("/b"), make_api("/c")], progress=progress)
    assert sorted(calls) == [(1, 3), (2, 3), (3, 3)]


async def test_endpoint_without_code_is_not_sent(fake: FakeLlm) -> None:
    """An endpoint whose handler was not found keeps its rule findings and costs no request."""
    analyser, _ = analyser_for(fake)
    result = await analyser.analyse([make_api("/a"), make_api("/b", units=())])
    assert len(fake.received) == 1
    assert "Endpoint: GET /a" in fake.received[0].prompt
    assert {f.api for f in result.findings} == {"GET /a"}


async def test_deployment_url_keeps_its_query_and_needs_no_key() -> None:
    """A base URL with a path and `?api-version=` (Azure, local servers) works, key-less."""
    with FakeLlm(key=None) as server:
        base = f"{server.url}/openai/deployments/dep?api-version=2024-10-21"
        analyser = LlmAnalyser(config_for(server, base_url=base, api_key=None))
        result = await analyser.analyse([make_api()])
        (request,) = server.received
    assert request.path == "/openai/deployments/dep/chat/completions?api-version=2024-10-21"
    assert "authorization" not in request.headers
    assert result.provider == "openai" and result.findings


async def test_reasoning_models_get_max_completion_tokens(fake: FakeLlm) -> None:
    """o-series and gpt-5 models are sent `max_completion_tokens` and no temperature."""
    analyser, _ = analyser_for(fake, model="o4-mini")
    await analyser.analyse([make_api()])
    body = fake.received[0].json
    assert "max_completion_tokens" in body
    assert "max_tokens" not in body and "temperature" not in body


async def test_result_is_the_contract_json(fake: FakeLlm) -> None:
    """`to_json` gives the contract's ai_analysis shape with usage, serialisable as JSON."""
    analyser, _ = analyser_for(fake)
    data = (await analyser.analyse([make_api()])).to_json()
    json.dumps(data)
    assert set(data) >= {"provider", "findings", "summary", "warnings", "usage"}
    assert set(data["findings"][0]) == {
        "api",
        "rule",
        "severity",
        "title",
        "explanation",
        "evidence",
        "recommendation",
    }
