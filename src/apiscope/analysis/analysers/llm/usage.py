"""Tokens used and what they cost, for the `usage` object of an LLM analysis.

PRICES are the providers' published list prices in USD per million tokens (input, output), as
of 2025, for standard (not batch, not cached-input) requests. A model is priced by the longest
key that starts its name, so dated and `-latest` names (`gpt-4o-mini-2024-07-18`,
`claude-3-5-haiku-latest`) find their family. A model not in the table (an Azure deployment
name, a local Ollama or vLLM model) gets `estimated_cost_usd: null`: unknown, not free.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PRICES: dict[str, tuple[float, float]] = {
    # OpenAI
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
    "gpt-5-nano": (0.05, 0.40),
    "gpt-5-mini": (0.25, 2.00),
    "gpt-5": (1.25, 10.00),
    "o3-mini": (1.10, 4.40),
    "o4-mini": (1.10, 4.40),
    "o3": (2.00, 8.00),
    # Anthropic
    "claude-3-haiku": (0.25, 1.25),
    "claude-3-5-haiku": (0.80, 4.00),
    "claude-haiku-4-5": (1.00, 5.00),
    "claude-3-5-sonnet": (3.00, 15.00),
    "claude-3-7-sonnet": (3.00, 15.00),
    "claude-sonnet-4": (3.00, 15.00),
    "claude-sonnet-4-5": (3.00, 15.00),
    "claude-opus-4": (15.00, 75.00),
    "claude-opus-4-5": (5.00, 25.00),
}


def price_of(model: str) -> tuple[float, float] | None:
    """(input, output) USD per million tokens, or None for a model not in the table."""
    name = model.lower().rsplit("/", 1)[-1]  # "openai/gpt-4o-mini" on proxies such as LiteLLM
    keys = [key for key in PRICES if name == key or name.startswith(key + "-")]
    return PRICES[max(keys, key=len)] if keys else None


def estimate_cost(model: str, prompt_tokens: int, completion_tokens: int) -> float | None:
    """USD for this many tokens of `model`, rounded to a millionth of a dollar; None if unknown."""
    price = price_of(model)
    if price is None:
        return None
    cost = (prompt_tokens * price[0] + completion_tokens * price[1]) / 1_000_000
    return round(cost, 6)


@dataclass
class UsageMeter:
    """Adds up one job's requests and tokens, retries and re-asks included."""

    provider: str
    model: str
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    redacted_secrets: int = 0

    def record(self, prompt_tokens: int, completion_tokens: int) -> None:
        """One answered request (even one whose answer was then rejected: it was paid for)."""
        self.prompt_tokens += prompt_tokens
        self.completion_tokens += completion_tokens

    def to_json(self) -> dict[str, Any]:
        """The analysis' `usage` object."""
        return {
            "provider": self.provider,
            "model": self.model,
            "requests": self.requests,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.prompt_tokens + self.completion_tokens,
            "estimated_cost_usd": estimate_cost(
                self.model, self.prompt_tokens, self.completion_tokens
            ),
            "redacted_secrets": self.redacted_secrets,
        }
