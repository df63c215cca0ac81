"""The LLM analyser: one request per endpoint, a few at a time, within the job's token budget.

Each endpoint's prompt carries its metrics, code and rule findings; the answer is validated,
and re-asked once with the validation error when it does not fit. Requests that fail
transiently are retried with backoff. Whatever goes wrong, the job still gets an analysis: a
failure that would hit every request (bad key, unknown model) stops them all and returns the
rule findings with a warning; a failure about one endpoint leaves that endpoint its rule
findings, with a warning naming it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from apiscope.analysis.analysers.base import Analysis, ApiUnderAnalysis, Progress
from apiscope.analysis.analysers.llm.budget import (
    ANSWER_TOKENS,
    Plan,
    TokenBudget,
    TokenCounter,
    plan,
    token_counter,
)
from apiscope.analysis.analysers.llm.client import (
    ChatClient,
    Completion,
    Conversation,
    Turn,
    open_chat,
)
from apiscope.analysis.analysers.llm.config import LlmConfig
from apiscope.analysis.analysers.llm.evidence import answer_findings
from apiscope.analysis.analysers.llm.instructions import CORRECTION
from apiscope.analysis.analysers.llm.merging import Explained, assemble, rule_findings, unavailable
from apiscope.analysis.analysers.llm.prompt import build_prompt
from apiscope.analysis.analysers.llm.provider_errors import ProviderError
from apiscope.analysis.analysers.llm.retrying import Sleep, with_retries
from apiscope.analysis.analysers.llm.schema import MalformedAnswer, parse_answer
from apiscope.analysis.analysers.llm.usage import UsageMeter

log = logging.getLogger(__name__)

ANSWER_ATTEMPTS = 2
"""The first answer and one re-ask with the validation error."""


class LlmAnalyser:
    """Explains endpoints with an OpenAI-compatible or Anthropic model."""

    def __init__(
        self,
        config: LlmConfig,
        *,
        count_tokens: TokenCounter | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.config = config
        self.name: str = config.provider
        self.count_tokens = count_tokens or token_counter()
        self.sleep = sleep
        """Waits between retries; a test passes one that records the delays."""

    async def analyse(
        self,
        apis: Sequence[ApiUnderAnalysis],
        *,
        baseline: Analysis | None = None,
        progress: Progress | None = None,
    ) -> Analysis:
        """The model's findings merged with the baseline's, or the baseline with a warning."""
        if variable := self.config.missing_key:
            return unavailable(baseline, self.name, f"{variable} is not set", None)
        unique = _first_of_each(apis)
        with_code = [api.api for api in unique if api.context.units]
        if not with_code:
            reason = "no endpoint had code to show"
            return unavailable(baseline, self.name, reason, None) if unique else _nothing(baseline)
        shares = plan(self.config.token_budget, len(with_code))
        asked = set(with_code[: shares.covered])
        job = _Job(self, baseline, progress, shares, total=len(unique), asked=asked)
        fatal: ProviderError | None = None
        async with open_chat(self.config) as chat:
            try:
                async with asyncio.TaskGroup() as group:
                    for api in unique:
                        group.create_task(job.explain(chat, api))
            except* ProviderError as failed:
                fatal = _first(failed)
        return job.outcome([api.api for api in unique], fatal)


def _nothing(baseline: Analysis | None) -> Analysis:
    """No endpoints at all: nothing to add to the baseline."""
    return baseline if baseline is not None else Analysis(provider="rules", findings=())


def _first_of_each(apis: Sequence[ApiUnderAnalysis]) -> list[ApiUnderAnalysis]:
    """One entry per endpoint: two observed URLs of one route are one question to the model."""
    first: dict[str, ApiUnderAnalysis] = {}
    for api in apis:
        first.setdefault(api.api, api)
    return list(first.values())


def _first(group: BaseExceptionGroup[ProviderError]) -> ProviderError:
    """The first error of a (possibly nested) group."""
    first = group.exceptions[0]
    return first if isinstance(first, ProviderError) else _first(first)


@dataclass
class _Job:
    """One `analyse` call's shared state: budget, slots, usage and what each endpoint got."""

    analyser: LlmAnalyser
    baseline: Analysis | None
    progress: Progress | None
    plan: Plan
    total: int = 0
    asked: set[str] = field(default_factory=set)
    """The endpoints sent to the model: those with code, as many as the budget covers."""
    done: int = 0
    explained: dict[str, Explained] = field(default_factory=dict)
    failures: list[tuple[str, str]] = field(default_factory=list)
    meter: UsageMeter = field(init=False)
    budget: TokenBudget = field(init=False)
    slots: asyncio.Semaphore = field(init=False)

    def __post_init__(self) -> None:
        config = self.analyser.config
        self.meter = UsageMeter(config.provider, config.model)
        self.budget = TokenBudget(config.token_budget)
        self.slots = asyncio.Semaphore(config.max_concurrency)

    async def explain(self, chat: ChatClient, api: ApiUnderAnalysis) -> None:
        """Ask about one endpoint; only a fatal error escapes (and stops the others)."""
        if api.api in self.asked:
            try:
                async with self.slots:
                    self.explained[api.api] = await self._ask(chat, api)
            except ProviderError as error:
                if error.fatal:
                    raise
                log.warning("LLM analysis of %s failed: %s", api.api, error)
                self.failures.append((api.api, str(error)))
        self.done += 1
        if self.progress is not None:
            await self.progress(self.done, self.total)

    async def _ask(self, chat: ChatClient, api: ApiUnderAnalysis) -> Explained:
        rules = rule_findings(self.baseline, api.api)
        prompt = build_prompt(api, rules, self.plan.prompt_tokens, self.analyser.count_tokens)
        self.meter.redacted_secrets += prompt.redactions
        conversation = prompt.conversation
        problem = ""
        for _ in range(ANSWER_ATTEMPTS):
            completion = await self._complete(chat, conversation)
            try:
                answer = parse_answer(completion.text)
            except MalformedAnswer as error:
                problem = str(error)
                conversation = conversation.followed_by(
                    Turn("assistant", completion.text),
                    Turn("user", CORRECTION.format(error=problem)),
                )
                continue
            findings = answer_findings(api.api, answer, prompt.shown, {r.rule for r in rules})
            return Explained(api.api, findings, answer.summary)
        raise ProviderError(f"malformed answer after {ANSWER_ATTEMPTS} attempts: {problem}")

    async def _complete(self, chat: ChatClient, conversation: Conversation) -> Completion:
        """One completion, retried on transient failures, paid for from the budget."""
        config = self.analyser.config

        async def attempt() -> Completion:
            needed = self.analyser.count_tokens(conversation.text()) + ANSWER_TOKENS
            if not self.budget.reserve(needed):
                raise ProviderError("the job's LLM token budget is spent")
            self.meter.requests += 1
            used = 0
            try:
                completion = await chat.complete(conversation, ANSWER_TOKENS)
                used = completion.prompt_tokens + completion.completion_tokens
                self.meter.record(completion.prompt_tokens, completion.completion_tokens)
                return completion
            finally:
                self.budget.settle(needed, used)

        return await with_retries(
            attempt, config.retry, config.max_retry_after, self.analyser.sleep
        )

    def outcome(self, apis: list[str], fatal: ProviderError | None) -> Analysis:
        """The analysis this job ends with, whatever happened."""
        provider = self.analyser.name
        usage = self.meter.to_json() if self.meter.requests else None
        if fatal is not None:
            return unavailable(self.baseline, provider, str(fatal), usage)
        if not self.explained and self.failures:
            return unavailable(self.baseline, provider, self.failures[0][1], usage)
        warnings = [
            f"LLM analysis failed for {api} ({reason}); showing its rule-based findings"
            for api, reason in self.failures
        ]
        if self.plan.covered < self.plan.endpoints:
            warnings.append(
                f"The LLM token budget covered the {self.plan.covered} worst of"
                f" {self.plan.endpoints} endpoints with code; the others have rule-based"
                " findings only"
            )
        return assemble(provider, apis, self.explained, self.baseline, warnings, usage or {})
