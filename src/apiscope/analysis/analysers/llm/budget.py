"""How many tokens a job may spend on the LLM, and how they are shared between endpoints.

Tokens are estimated as characters / 4 (close for English and code with the common BPE
vocabularies), or counted with `tiktoken` when that package happens to be installed; apiscope
does not depend on it. Estimates only decide how much code to send: the provider's own usage
figures are what the result reports.
"""

from __future__ import annotations

import functools
import importlib
import math
from collections.abc import Callable
from dataclasses import dataclass

TokenCounter = Callable[[str], int]

ANSWER_TOKENS = 2_000
"""The most an answer may use (`max_tokens`): a summary and a handful of findings."""
MIN_PROMPT_TOKENS = 1_500
"""Below this an endpoint's prompt has too little code to be worth a request."""
MAX_PROMPT_TOKENS = 30_000
"""However large the budget, one endpoint's prompt stays below this: cost and answer quality."""


def estimate_tokens(text: str) -> int:
    """About four characters per token."""
    return math.ceil(len(text) / 4)


@functools.cache
def token_counter() -> TokenCounter:
    """tiktoken's o200k encoding when it is installed and loads, else the estimate.

    Cached: the encoding is loaded once per process (it may read or fetch its vocabulary file).
    """
    try:
        tiktoken = importlib.import_module("tiktoken")
        encoding = tiktoken.get_encoding("o200k_base")
    except Exception:  # not installed, or its vocabulary cannot be loaded offline
        return estimate_tokens

    def count(text: str) -> int:
        return len(encoding.encode(text, disallowed_special=()))

    return count


@dataclass(frozen=True, slots=True)
class Plan:
    """How much prompt each endpoint gets, and how many endpoints the budget covers."""

    prompt_tokens: int
    covered: int
    endpoints: int


def plan(budget: int, endpoints: int) -> Plan:
    """Share `budget` evenly, a fifth kept back for re-asks; when it is too small for every
    endpoint, cover the first (the worst) ones well rather than all of them badly."""
    if endpoints <= 0:
        return Plan(0, 0, 0)
    covered = endpoints
    per_endpoint = budget * 4 // 5 // endpoints
    if per_endpoint - ANSWER_TOKENS < MIN_PROMPT_TOKENS:
        covered = max(1, min(endpoints, budget // (MIN_PROMPT_TOKENS + ANSWER_TOKENS)))
        per_endpoint = budget // covered
    prompt_tokens = max(0, min(per_endpoint - ANSWER_TOKENS, MAX_PROMPT_TOKENS))
    return Plan(prompt_tokens, covered, endpoints)


class TokenBudget:
    """The job's tokens left: each request reserves its estimate, then pays what it used.

    Retries and re-asks spend from the same budget, so a job never runs far past it; single
    threaded (one event loop), so no lock is needed.
    """

    def __init__(self, total: int) -> None:
        self.total = total
        self.spent = 0
        self.reserved = 0

    @property
    def left(self) -> int:
        """Tokens neither spent nor reserved."""
        return self.total - self.spent - self.reserved

    def reserve(self, tokens: int) -> bool:
        """Hold `tokens` for one request; False when they are not there."""
        if tokens > self.left:
            return False
        self.reserved += tokens
        return True

    def settle(self, reserved: int, used: int) -> None:
        """Release a reservation and record what the request really used."""
        self.reserved -= reserved
        self.spent += used
