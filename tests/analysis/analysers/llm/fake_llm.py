"""A fake LLM provider on 127.0.0.1: real HTTP in a thread, for the real clients to talk to.

It answers OpenAI chat completions (any path ending in `/chat/completions`, so Azure-style
deployment URLs work) and Anthropic messages (`/v1/messages`), checks the key the way each API
does, and records every request as received. `then(...)` scripts the next replies (errors,
malformed text, slow answers); with no script it answers well, with `answer(prompt)`. It counts
requests in flight; with `crowd` set, each request waits until that many are in flight (or 5 s
pass) and a moment longer, so a missing concurrency limit shows as more in flight.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

KEY = "sk-test-0123456789abcdefghijklmnop"
USAGE = (1000, 200)
"""Prompt and completion tokens reported for every answer."""


@dataclass
class Reply:
    """One scripted answer: an HTTP error (`status`, `body`), or `text` as the model's answer."""

    status: int = 200
    body: dict[str, Any] | None = None
    text: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    raw: bytes

    @property
    def json(self) -> dict[str, Any]:
        return json.loads(self.raw)

    @property
    def turns(self) -> list[dict[str, Any]]:
        """User and assistant messages (the system prompt is apart in both APIs)."""
        return [m for m in self.json["messages"] if m["role"] != "system"]

    @property
    def prompt(self) -> str:
        """The first user message: what apiscope says about the endpoint."""
        return self.turns[0]["content"]


def good_answer(prompt: str) -> dict[str, Any]:
    """A finding citing the 3rd and 4th lines of the first code unit shown."""
    heading = re.search(r"^### (\S+):(\d+)-(\d+)", prompt, re.M)
    assert heading is not None, "no code in the prompt"
    file, start = heading.group(1), int(heading.group(2))
    return {
        "summary": "One query per order makes the endpoint slow.",
        "findings": [
            {
                "rule": "llm",
                "severity": "high",
                "title": "Query inside a loop",
                "explanation": "Each order triggers its own query.",
                "evidence": [{"file": file, "line_start": start + 2, "line_end": start + 3}],
                "recommendation": "Load the items of all orders with one query.",
            }
        ],
    }


class FakeLlm:
    """Both providers' endpoints on one server."""

    def __init__(self, key: str | None = KEY) -> None:
        self.key = key
        self.answer: Callable[[str], dict[str, Any]] = good_answer
        self.script: deque[Reply] = deque()
        self.received: list[Received] = []
        self.crowd = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Condition()
        self._closing = threading.Event()
        self._server = _server(self)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def then(self, *replies: Reply) -> None:
        self.script.extend(replies)

    def __enter__(self) -> FakeLlm:
        threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._closing.set()
        self._server.shutdown()
        self._server.server_close()

    def handle(self, path: str, headers: dict[str, str], raw: bytes) -> tuple[int, dict, bytes]:
        """Status, headers and body for one POST."""
        with self._lock:
            self.received.append(Received(path, headers, raw))
            reply = self.script.popleft() if self.script else Reply()
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            self._lock.notify_all()
        try:
            self._wait_for_crowd()
            self._closing.wait(reply.delay)
            return self._answer(path, headers, raw, reply)
        finally:
            with self._lock:
                self.in_flight -= 1

    @property
    def closing(self) -> bool:
        return self._closing.is_set()

    def _wait_for_crowd(self) -> None:
        if self.crowd:
            with self._lock:
                self._lock.wait_for(lambda: self.in_flight >= self.crowd, timeout=5)
            time.sleep(0.1)

    def _answer(
        self, path: str, headers: dict, raw: bytes, reply: Reply
    ) -> tuple[int, dict, bytes]:
        anthropic = path.split("?")[0].endswith("/v1/messages")
        if (denied := self._denied(anthropic, headers)) is not None:
            return denied
        if reply.status != 200 or reply.body is not None:
            return _json(reply.status, reply.body or {}, reply.headers)
        messages = [m for m in json.loads(raw)["messages"] if m["role"] == "user"]
        text = (
            reply.text
            if reply.text is not None
            else json.dumps(self.answer(messages[0]["content"]))
        )
        return _json(200, _anthropic(text) if anthropic else _openai(text), reply.headers)

    def _denied(self, anthropic: bool, headers: dict[str, str]) -> tuple[int, dict, bytes] | None:
        """Each API's 401, quoting the key it got back as some real APIs do."""
        if self.key is None:
            return None
        if anthropic:
            got = headers.get("x-api-key", "")
            body = {
                "type": "error",
                "error": {"type": "authentication_error", "message": f"invalid x-api-key {got}"},
            }
        else:
            got = headers.get("authorization", "").removeprefix("Bearer ")
            body = {
                "error": {
                    "message": f"Incorrect API key provided: {got}",
                    "type": "invalid_request_error",
                    "code": "invalid_api_key",
                }
            }
        return None if got == self.key else _json(401, body, {})


def _openai(text: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
        ],
        "usage": {
            "prompt_tokens": USAGE[0],
            "completion_tokens": USAGE[1],
            "total_tokens": sum(USAGE),
        },
    }


def _anthropic(text: str) -> dict[str, Any]:
    return {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "content": [{"type": "text", "text": text}],
        "stop_reason": "end_turn",
        "usage": {"input_tokens": USAGE[0], "output_tokens": USAGE[1]},
    }


def _json(status: int, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, dict, bytes]:
    return status, {"Content-Type": "application/json", **headers}, json.dumps(body).encode()


def _server(state: FakeLlm) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            raw = self.rfile.read(int(headers.get("content-length", "0")))
            status, extra, body = state.handle(self.path, headers, raw)
            if state.closing:
                return
            self.send_response(status)
            for key, value in extra.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: pytest output stays readable."""

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request: Any, client_address: Any) -> None:
            """A client that gave up (timeout test) is expected, not an error to print."""

    return Server(("127.0.0.1", 0), Handler)
