"""Settings, read from the environment once, at the edge (CLI, app factory, Lambda handler)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_STORE = "sqlite:///./.apiscope/apiscope.db"
DEFAULT_GITHUB_API_URL = "https://api.github.com"


class Settings(BaseSettings):
    """Everything configurable, as `APISCOPE_*` environment variables."""

    model_config = SettingsConfigDict(env_prefix="APISCOPE_", extra="ignore")

    store: str = DEFAULT_STORE
    """Job store URL: sqlite:///path.db (default), postgresql://..., dynamodb://..., memory://."""
    api_keys: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """Comma-separated keys; empty means no authentication (local use)."""
    job_kinds: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """Extra job kinds as `module:attribute` naming a JobRegistry, comma-separated."""
    max_body_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    job_retention_seconds: float = Field(default=7 * 24 * 3600, gt=0)
    job_lease_seconds: float = Field(default=30.0, ge=1)
    concurrency: int = Field(default=4, ge=1, le=256)
    poll_interval_seconds: float = Field(default=2.0, gt=0)
    shutdown_grace_seconds: float = Field(default=10.0, ge=0)
    submit_rate_per_minute: float = Field(default=0.0, ge=0)
    """Submissions a minute per API key (or client address without keys); 0 (the default, for
    local use): no limit. Set it for shared or public deployments."""
    submit_burst: int = Field(default=30, ge=1)
    """Submissions a caller may make at once before the rate applies."""
    sync_wait_seconds: float = Field(default=25.0, ge=0, le=600)
    """How long the synchronous analysis endpoint waits before answering 202 (gateways: 29 s)."""
    github_api_url: str = DEFAULT_GITHUB_API_URL
    """GitHub REST base URL; GitHub Enterprise: https://HOST/api/v3."""
    github_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("GITHUB_TOKEN", "github_token")
    )
    """GITHUB_TOKEN (no prefix): private repositories and higher rate limits; never stored."""
    allow_local_repos: bool = False
    """Whether the HTTP API accepts local paths and file:// URLs (the CLI always does)."""
    llm_provider: Literal["none", "openai", "anthropic"] = "none"
    """The LLM analyser: `none` (rules only), `openai` (any OpenAI-compatible API), `anthropic`."""
    llm_base_url: str | None = None
    """OpenAI: the URL up to /v1 (Azure, vLLM, Ollama); Anthropic: the host; None: public API."""
    llm_model: str | None = None
    """None: gpt-4o-mini (openai), claude-3-5-haiku-latest (anthropic)."""
    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_API_KEY", "openai_api_key")
    )
    """OPENAI_API_KEY (no prefix); optional for a local OpenAI-compatible server."""
    anthropic_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("ANTHROPIC_API_KEY", "anthropic_api_key")
    )
    """ANTHROPIC_API_KEY (no prefix)."""
    llm_timeout_seconds: float = Field(default=60.0, gt=0)
    """Per LLM request; a request that takes longer is retried, then given up."""
    llm_max_concurrency: int = Field(default=4, ge=1, le=64)
    """LLM requests in flight at once, per job."""
    llm_token_budget: int = Field(default=200_000, ge=4_000)
    """Tokens (prompt + answer) one job may spend on the LLM; code is truncated to fit."""

    @field_validator("api_keys", "job_kinds", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value
