"""The two chat APIs behind one small protocol: a conversation in, text and token usage out.

Plain httpx rather than the OpenAI or Anthropic SDKs: one client code path that we control for
timeouts, retries and error messages (the SDKs retry on their own schedule and put request
details in their exceptions), the same code for every OpenAI-compatible server (Azure, vLLM,
Ollama), and no heavy dependencies. Every failure becomes a `ProviderError` whose message is
safe to show: a status line and the provider's own one-line message with secrets redacted,
never a header or the key.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Literal, Protocol
from urllib.parse import urlsplit, urlunsplit

import httpx

from apiscope import __version__
from apiscope.analysis.analysers.llm.budget import estimate_tokens
from apiscope.analysis.analysers.llm.config import DEFAULT_BASE_URLS, LlmConfig
from apiscope.analysis.analysers.llm.provider_errors import ProviderError, raise_for_status
from apiscope.analysis.analysers.llm.schema import ANSWER_JSON_SCHEMA

ANTHROPIC_VERSION = "2023-06-01"
_AZURE_HOSTS = (".openai.azure.com", ".cognitiveservices.azure.com", ".services.ai.azure.com")
_REASONING_MODELS = ("o1", "o3", "o4", "gpt-5")
"""OpenAI models that take `max_completion_tokens` and refuse a `temperature`."""
_SCHEMA_MODELS = ("gpt-4o", "gpt-4.1", "gpt-5", "o1", "o3", "o4")
"""OpenAI model families with strict structured outputs (`json_schema`)."""


@dataclass(frozen=True, slots=True)
class Turn:
    """One message of the conversation after the system instructions."""

    role: Literal["user", "assistant"]
    content: str


@dataclass(frozen=True, slots=True)
class Conversation:
    """System instructions and the turns so far."""

    system: str
    turns: tuple[Turn, ...]

    def followed_by(self, *turns: Turn) -> Conversation:
        """The same conversation with more turns (a re-ask after a bad answer)."""
        return Conversation(self.system, self.turns + turns)

    def text(self) -> str:
        """Everything sent, for estimating its tokens."""
        return "\n".join([self.system, *(turn.content for turn in self.turns)])


@dataclass(frozen=True, slots=True)
class Completion:
    """The model's text and the tokens the provider billed for it."""

    text: str
    prompt_tokens: int
    completion_tokens: int


class ChatClient(Protocol):
    """A chat completion API."""

    async def complete(self, conversation: Conversation, max_tokens: int) -> Completion:
        """The model's answer to the conversation."""
        ...


@asynccontextmanager
async def open_chat(config: LlmConfig) -> AsyncIterator[ChatClient]:
    """A client for the configured provider on one connection pool, closed on exit."""
    limits = httpx.Limits(max_connections=config.max_concurrency + 2)
    async with httpx.AsyncClient(
        headers=_headers(config), timeout=httpx.Timeout(config.timeout), limits=limits
    ) as http:
        transport = _Transport(http, config)
        yield OpenAiChat(transport) if config.provider == "openai" else AnthropicChat(transport)


class OpenAiChat:
    """OpenAI chat completions (and every server that speaks it), in JSON mode."""

    def __init__(self, transport: _Transport) -> None:
        self.transport = transport
        self.url = _join(transport.config.base_url, "chat/completions")

    async def complete(self, conversation: Conversation, max_tokens: int) -> Completion:
        """One chat completion; `response_format` asks for JSON (of our schema, if it can)."""
        model = self.transport.config.model
        messages = [{"role": "system", "content": conversation.system}]
        messages += [{"role": t.role, "content": t.content} for t in conversation.turns]
        body: dict[str, Any] = {
            "model": model,
            "messages": messages,
            "response_format": response_format(self.transport.config),
        }
        if model.lower().startswith(_REASONING_MODELS):
            body["max_completion_tokens"] = max_tokens
        else:
            body |= {"max_tokens": max_tokens, "temperature": 0.2}
        data = await self.transport.post(self.url, body)
        try:
            text = data["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError):
            text = None
        usage = data.get("usage") or {}
        return _completion(conversation, text, usage.get("prompt_tokens"),
                           usage.get("completion_tokens"))  # fmt: skip


def response_format(config: LlmConfig) -> dict[str, Any]:
    """Strict structured outputs where they are known to work (OpenAI's own API, current
    models); JSON mode elsewhere, which every OpenAI-compatible server implements."""
    model = config.model.lower()
    if config.base_url == DEFAULT_BASE_URLS["openai"] and model.startswith(_SCHEMA_MODELS):
        schema = {"name": "endpoint_analysis", "strict": True, "schema": ANSWER_JSON_SCHEMA}
        return {"type": "json_schema", "json_schema": schema}
    return {"type": "json_object"}


class AnthropicChat:
    """Anthropic messages API."""

    def __init__(self, transport: _Transport) -> None:
        self.transport = transport
        self.url = _join(transport.config.base_url, "v1/messages")

    async def complete(self, conversation: Conversation, max_tokens: int) -> Completion:
        """One message; the system prompt asks for JSON (the API has no JSON mode)."""
        body = {
            "model": self.transport.config.model,
            "max_tokens": max_tokens,
            "temperature": 0.2,
            "system": conversation.system,
            "messages": [{"role": t.role, "content": t.content} for t in conversation.turns],
        }
        data = await self.transport.post(self.url, body)
        blocks = data.get("content")
        text = None
        if isinstance(blocks, list):
            text = "".join(b.get("text", "") for b in blocks if isinstance(b, dict))
        usage = data.get("usage") or {}
        prompt = sum(
            usage.get(key) or 0
            for key in ("input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens")
        )
        return _completion(conversation, text, prompt or None, usage.get("output_tokens"))


class _Transport:
    """POSTs JSON with a hard time limit and turns every failure into a `ProviderError`."""

    def __init__(self, http: httpx.AsyncClient, config: LlmConfig) -> None:
        self.http = http
        self.config = config
        key = config.api_key.get_secret_value() if config.api_key else None
        self.secrets = (key,) if key else ()

    async def post(self, url: str, body: dict[str, Any]) -> dict[str, Any]:
        """The JSON object the provider answered with."""
        timeout = self.config.timeout
        try:
            async with asyncio.timeout(timeout):
                response = await self.http.post(url, json=body)
        except (TimeoutError, httpx.TimeoutException) as exc:
            raise ProviderError(f"timed out after {timeout:g} s", retryable=True) from exc
        except httpx.HTTPError as exc:
            host = urlsplit(url).netloc
            raise ProviderError(
                f"cannot reach {host} ({type(exc).__name__})", retryable=True
            ) from exc
        raise_for_status(response, self.secrets)
        try:
            data = response.json()
        except ValueError as exc:
            raise ProviderError("answered with something other than JSON", retryable=True) from exc
        if not isinstance(data, dict):
            raise ProviderError("answered with JSON that is not an object", retryable=True)
        return data


def _completion(
    conversation: Conversation, text: object, prompt: object, completion: object
) -> Completion:
    """The answer, with token counts estimated when a server does not report them."""
    if not isinstance(text, str):
        raise ProviderError("answered without any text", retryable=True)
    prompt_tokens = prompt if isinstance(prompt, int) else estimate_tokens(conversation.text())
    completion_tokens = completion if isinstance(completion, int) else estimate_tokens(text)
    return Completion(text, prompt_tokens, completion_tokens)


def _headers(config: LlmConfig) -> dict[str, str]:
    """Authentication as each provider wants it; the key goes nowhere else."""
    headers = {"User-Agent": f"apiscope/{__version__}", "Accept": "application/json"}
    key = config.api_key.get_secret_value() if config.api_key else None
    if config.provider == "anthropic":
        headers["anthropic-version"] = ANTHROPIC_VERSION
        if key:
            headers["x-api-key"] = key
    elif key:
        headers["Authorization"] = f"Bearer {key}"
        if (urlsplit(config.base_url).hostname or "").endswith(_AZURE_HOSTS):
            headers["api-key"] = key  # Azure's classic deployment URLs take only this header
    return headers


def _join(base_url: str, path: str) -> str:
    """`path` appended to the base URL's path, its query (Azure's api-version) kept."""
    parts = urlsplit(base_url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/" + path))
