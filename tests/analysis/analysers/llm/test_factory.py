"""Settings to analyser: none by default, else the provider with its defaults; keys stay secret."""

from __future__ import annotations

import pytest

from apiscope.analysis.analysers.llm import LlmAnalyser, LlmConfig, build_analyser
from apiscope.settings import Settings

KEY = "sk-proj-settingskey0123456789abcdef"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "APISCOPE_LLM_PROVIDER",
        "APISCOPE_LLM_BASE_URL",
        "APISCOPE_LLM_MODEL",
        "OPENAI_API_KEY",
        "ANTHROPIC_API_KEY",
    ):
        monkeypatch.delenv(name, raising=False)


def test_no_provider_means_no_llm_analyser() -> None:
    """By default the caller gets None and runs the rules alone."""
    assert build_analyser(Settings()) is None


def test_openai_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """APISCOPE_LLM_PROVIDER=openai with OPENAI_API_KEY gives gpt-4o-mini on the public API."""
    monkeypatch.setenv("APISCOPE_LLM_PROVIDER", "openai")
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    analyser = build_analyser(Settings())
    assert isinstance(analyser, LlmAnalyser) and analyser.name == "openai"
    config = analyser.config
    assert (config.model, config.base_url) == ("gpt-4o-mini", "https://api.openai.com/v1")
    assert config.api_key is not None and config.api_key.get_secret_value() == KEY
    assert config.missing_key is None


def test_anthropic_with_model_and_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    """The model and base URL settings override the defaults; the trailing slash goes."""
    monkeypatch.setenv("APISCOPE_LLM_PROVIDER", "anthropic")
    monkeypatch.setenv("APISCOPE_LLM_MODEL", "claude-sonnet-4-5")
    monkeypatch.setenv("APISCOPE_LLM_BASE_URL", "https://proxy.internal/")
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    config = LlmConfig.from_settings(Settings())
    assert config is not None
    assert (config.provider, config.model, config.base_url) == (
        "anthropic",
        "claude-sonnet-4-5",
        "https://proxy.internal",
    )


def test_anthropic_default_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without APISCOPE_LLM_MODEL, Anthropic uses claude-3-5-haiku-latest."""
    monkeypatch.setenv("APISCOPE_LLM_PROVIDER", "anthropic")
    config = LlmConfig.from_settings(Settings())
    assert config is not None and config.model == "claude-3-5-haiku-latest"
    assert config.missing_key == "ANTHROPIC_API_KEY"


def test_local_server_needs_no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """An OpenAI-compatible server of one's own (Ollama) works without OPENAI_API_KEY."""
    monkeypatch.setenv("APISCOPE_LLM_PROVIDER", "openai")
    monkeypatch.setenv("APISCOPE_LLM_BASE_URL", "http://localhost:11434/v1")
    config = LlmConfig.from_settings(Settings())
    assert config is not None and config.missing_key is None and config.api_key is None


def test_keys_never_show_in_reprs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Printing or logging the settings or the config does not reveal the key."""
    monkeypatch.setenv("APISCOPE_LLM_PROVIDER", "openai")
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    settings = Settings()
    config = LlmConfig.from_settings(settings)
    assert KEY not in repr(settings) and KEY not in str(settings.model_dump())
    assert KEY not in repr(config)


def test_limits_come_from_settings() -> None:
    """Timeout, concurrency and token budget settings reach the config."""
    settings = Settings(
        llm_provider="openai",
        llm_timeout_seconds=12,
        llm_max_concurrency=2,
        llm_token_budget=50_000,
    )
    config = LlmConfig.from_settings(settings)
    assert config is not None
    assert (config.timeout, config.max_concurrency, config.token_budget) == (12, 2, 50_000)


def test_unknown_provider_is_rejected() -> None:
    """A provider outside none/openai/anthropic fails validation naming the field."""
    with pytest.raises(ValueError, match="llm_provider"):
        Settings(llm_provider="gemini")
