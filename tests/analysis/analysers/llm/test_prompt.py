"""What one endpoint's prompt shows, and how the token budget cuts it: the handler always first."""

from __future__ import annotations

from apiscope.analysis.analysers.base import CodeUnit
from apiscope.analysis.analysers.llm.budget import estimate_tokens
from apiscope.analysis.analysers.llm.prompt import HANDLER_MIN_LINES, build_prompt
from tests.analysis.analysers.llm.conftest import (
    analyser_for,
    callee_unit,
    handler_unit,
    make_api,
    rule_finding,
)
from tests.analysis.analysers.llm.fake_llm import FakeLlm


def long_source(name: str, lines: int) -> str:
    body = "\n".join(f"    total += compute_{name}(row_{i}, factor={i})" for i in range(lines - 1))
    return f"def {name}(rows):\n{body}"


def big_api() -> tuple:
    handler = handler_unit(long_source("handler", 400), start=100)
    callees = (
        callee_unit(long_source("load", 60), "load", start=500),
        callee_unit(long_source("price", 60), "price", "app/pricing.py", 10, depth=2),
    )
    return make_api(units=(handler, *callees)), handler


def test_everything_fits_in_a_large_budget() -> None:
    """With room to spare, every unit is shown whole and nothing is noted as omitted."""
    prompt = build_prompt(make_api(), [], 20_000, estimate_tokens)
    assert [p.unit.name for p in prompt.shown] == ["list_orders", "serialize"]
    assert not any(p.cut for p in prompt.shown) and prompt.omitted == ()
    assert "not shown" not in prompt.conversation.turns[0].content


def test_handler_is_first_even_if_given_after_its_callees() -> None:
    """Units are ordered by depth, so the handler leads whatever order they came in."""
    api = make_api(units=(callee_unit(), handler_unit()))
    prompt = build_prompt(api, [], 20_000, estimate_tokens)
    assert prompt.shown[0].unit.depth == 0


def test_small_budget_cuts_the_handler_and_names_omitted_callees() -> None:
    """Over budget: the handler is cut with a note, callees are named but not shown."""
    api, handler = big_api()
    prompt = build_prompt(api, [], 3_000, estimate_tokens)
    text = prompt.conversation.turns[0].content
    (shown,) = prompt.shown
    assert shown.unit is handler and shown.cut
    assert HANDLER_MIN_LINES < len(shown.lines) < 400
    assert f"[lines {shown.last_line + 1}-{handler.line_end} not shown: token budget]" in text
    omitted = "[2 more called functions not shown (token budget): load (app/services/orders.py)"
    assert omitted in text
    assert "compute_load(" not in text
    assert prompt.tokens <= 3_000


def test_tiny_budget_still_shows_the_start_of_the_handler() -> None:
    """Even a budget too small for anything keeps the handler's first lines."""
    api, handler = big_api()
    prompt = build_prompt(api, [], 10, estimate_tokens)
    assert prompt.shown[0].unit is handler
    assert len(prompt.shown[0].lines) == HANDLER_MIN_LINES


def test_callee_that_fits_only_a_few_lines_is_left_out() -> None:
    """A called function that would be cut to a stub is omitted rather than shown as one."""
    api, _ = big_api()
    small = make_api(units=(handler_unit(), *api.context.units[1:]))
    header_and_handler = build_prompt(
        make_api(units=(handler_unit(),)), [], 10_000, estimate_tokens
    )
    prompt = build_prompt(small, [], header_and_handler.tokens + 40, estimate_tokens)
    assert [p.unit.name for p in prompt.shown] == ["list_orders"]


def test_long_lines_are_cut() -> None:
    """A minified line is shortened in the prompt but keeps its number."""
    unit = CodeUnit("app/bundle.js", "h", "javascript", 1, 2, "function h() {\n" + "x" * 5000)
    prompt = build_prompt(make_api(units=(unit,)), [], 20_000, estimate_tokens)
    text = prompt.conversation.turns[0].content
    assert "2| " + "x" * 400 + " [line cut]" in text


def test_rule_findings_are_listed_with_their_lines() -> None:
    """Each rule finding is given with its rule id, severity, title and location."""
    prompt = build_prompt(make_api(), [rule_finding()], 20_000, estimate_tokens)
    text = prompt.conversation.turns[0].content
    assert '- rule "n-plus-one", high: Query in a loop [app/api/orders.py:13-14]' in text


async def test_budget_truncation_over_the_wire_keeps_the_handler(fake: FakeLlm) -> None:
    """A small job budget sends the handler (cut) first and leaves the callees out."""
    api, _ = big_api()
    analyser, _ = analyser_for(fake, token_budget=6_000)
    await analyser.analyse([api])
    prompt = fake.received[0].prompt
    code = prompt[prompt.index("Code, the handler first") :]
    headings = [line for line in code.splitlines() if line.startswith("###")]
    assert headings == ["### app/api/orders.py:100-499 list_orders (handler, python)"]
    assert "100| def handler(rows):" in code
    assert "compute_load(" not in code and "compute_price(" not in code
    assert "not shown: token budget" in code


async def test_budget_too_small_for_every_endpoint_covers_the_worst(fake: FakeLlm) -> None:
    """A budget too small for all endpoints covers the first (worst) ones, with a warning."""
    analyser, _ = analyser_for(fake, token_budget=8_000)
    apis = [make_api(f"/orders/{n}") for n in range(5)]
    result = await analyser.analyse(apis)
    assert [
        "Endpoint: GET /orders/0" in r.prompt or "Endpoint: GET /orders/1" in r.prompt
        for r in fake.received
    ] == [True, True]
    assert result.warnings == (
        "The LLM token budget covered the 2 worst of 5 endpoints with code;"
        " the others have rule-based findings only",
    )
