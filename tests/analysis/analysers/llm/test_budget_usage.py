"""Sharing the token budget between endpoints, and pricing what was used."""

from __future__ import annotations

import pytest

from apiscope.analysis.analysers.llm.budget import (
    ANSWER_TOKENS,
    MAX_PROMPT_TOKENS,
    MIN_PROMPT_TOKENS,
    TokenBudget,
    plan,
)
from apiscope.analysis.analysers.llm.usage import estimate_cost, price_of


def test_a_large_budget_covers_every_endpoint_with_a_capped_share() -> None:
    """Plenty of tokens: every endpoint is covered, none gets more than the per-prompt cap."""
    shares = plan(1_000_000, 3)
    assert shares.covered == 3 and shares.prompt_tokens == MAX_PROMPT_TOKENS


def test_a_fifth_of_the_budget_is_kept_for_reasks() -> None:
    """Shares leave a fifth of the budget unallocated, for re-asks and retries."""
    shares = plan(100_000, 10)
    assert shares.prompt_tokens + ANSWER_TOKENS == 8_000


def test_a_small_budget_covers_the_first_endpoints_well() -> None:
    """Too few tokens for all: fewer endpoints, each with at least the minimum prompt."""
    shares = plan(10_000, 10)
    assert shares.covered == 2
    assert shares.prompt_tokens >= MIN_PROMPT_TOKENS


def test_reservations_are_refused_past_the_total_and_settled_to_actual_use() -> None:
    """A reservation beyond what is left fails; settling frees what was not used."""
    budget = TokenBudget(1_000)
    assert budget.reserve(800) and not budget.reserve(300)
    budget.settle(800, 500)
    assert budget.left == 500 and budget.reserve(300)


@pytest.mark.parametrize(
    ("model", "price"),
    [
        ("gpt-4o-mini", (0.15, 0.60)),
        ("gpt-4o-mini-2024-07-18", (0.15, 0.60)),
        ("gpt-4o-2024-08-06", (2.50, 10.00)),
        ("claude-3-5-haiku-latest", (0.80, 4.00)),
        ("claude-sonnet-4-5-20250929", (3.00, 15.00)),
        ("openai/gpt-4.1-mini", (0.40, 1.60)),
    ],
)
def test_dated_and_prefixed_model_names_find_their_price(model: str, price: tuple) -> None:
    """The longest table key that starts the model's name prices it."""
    assert price_of(model) == price


@pytest.mark.parametrize("model", ["my-azure-deployment", "llama3.1:8b", "claude-3-5-haikus"])
def test_unknown_models_have_no_price(model: str) -> None:
    """A name outside the table, even one that merely starts like a key, is not priced."""
    assert estimate_cost(model, 1_000, 1_000) is None


def test_cost_is_input_and_output_at_their_rates() -> None:
    """One million tokens each way cost the table's two prices added."""
    assert estimate_cost("gpt-4o", 1_000_000, 1_000_000) == 12.5
