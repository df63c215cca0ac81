"""Which LLM to ask and how patiently: read from settings once, at the edge.

Base URLs follow each provider's own SDK convention, so a value copied from their docs works:
for `openai` the URL up to `/v1` (`https://api.openai.com/v1`; Azure OpenAI
`https://RESOURCE.openai.azure.com/openai/v1`, or a deployment URL with its `?api-version=`;
vLLM `http://HOST:8000/v1`; Ollama `http://localhost:11434/v1`), for `anthropic` the host
(`https://api.anthropic.com`). Default models are small and cheap, since an analysis asks once
per endpoint: gpt-4o-mini and claude-3-5-haiku-latest; `APISCOPE_LLM_MODEL` overrides them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import SecretStr

from apiscope.jobs.retry import RetryPolicy
from apiscope.settings import Settings

Provider = Literal["openai", "anthropic"]

DEFAULT_MODELS: dict[Provider, str] = {
    "openai": "gpt-4o-mini",
    "anthropic": "claude-3-5-haiku-latest",
}
DEFAULT_BASE_URLS: dict[Provider, str] = {
    "openai": "https://api.openai.com/v1",
    "anthropic": "https://api.anthropic.com",
}
KEY_VARIABLES: dict[Provider, str] = {"openai": "OPENAI_API_KEY", "anthropic": "ANTHROPIC_API_KEY"}

REQUEST_RETRIES = RetryPolicy(max_attempts=4, base_delay=1.0, multiplier=2.0, max_delay=20.0)
"""429, 5xx, timeouts and network errors: four attempts, waits of about 1, 2 and 4 s."""


@dataclass(frozen=True)
class LlmConfig:
    """One provider, model and endpoint, with the limits a job must respect."""

    provider: Provider
    model: str
    base_url: str
    api_key: SecretStr | None = None
    timeout: float = 60.0
    """Seconds for one request, connection to last byte."""
    max_concurrency: int = 4
    token_budget: int = 200_000
    retry: RetryPolicy = REQUEST_RETRIES
    max_retry_after: float = 60.0
    """A `Retry-After` longer than this ends the retries: the job should not sit idle for it."""

    @classmethod
    def from_settings(cls, settings: Settings) -> LlmConfig | None:
        """The configured LLM, or None when `APISCOPE_LLM_PROVIDER` is `none`."""
        provider = settings.llm_provider
        if provider == "none":
            return None
        key = settings.openai_api_key if provider == "openai" else settings.anthropic_api_key
        return cls(
            provider=provider,
            model=settings.llm_model or DEFAULT_MODELS[provider],
            base_url=(settings.llm_base_url or DEFAULT_BASE_URLS[provider]).rstrip("/"),
            api_key=key if key is not None and key.get_secret_value() else None,
            timeout=settings.llm_timeout_seconds,
            max_concurrency=settings.llm_max_concurrency,
            token_budget=settings.llm_token_budget,
        )

    @property
    def missing_key(self) -> str | None:
        """The variable to set when the provider's public API is used without a key.

        A self-hosted OpenAI-compatible server (vLLM, Ollama) usually needs none, so only the
        default endpoints insist on one.
        """
        if self.api_key is None and self.base_url == DEFAULT_BASE_URLS[self.provider]:
            return KEY_VARIABLES[self.provider]
        return None
