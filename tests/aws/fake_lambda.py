"""The AWS Lambda Invoke API on loopback, driven through boto3's real client: moto can only run
functions in Docker, so this records each invocation for the test to deliver itself."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

INVOKE = re.compile(r"^/2015-03-31/functions/([^/]+)/invocations$")


@dataclass
class FakeLambda:
    """What the server received: (function name, invocation type, payload) per call."""

    url: str
    calls: list[tuple[str, str, Any]] = field(default_factory=list)

    def payloads(self) -> list[Any]:
        return [payload for _, _, payload in self.calls]


def _handler(record: FakeLambda) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            found = INVOKE.match(self.path.split("?")[0])
            length = int(self.headers.get("Content-Length") or 0)
            payload = json.loads(self.rfile.read(length) or b"null")
            if found is None:
                self.send_response(404)
                self.end_headers()
                return
            kind = self.headers.get("X-Amz-Invocation-Type", "RequestResponse")
            record.calls.append((found.group(1), kind, payload))
            self.send_response(202 if kind == "Event" else 200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def fake_lambda(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeLambda]:
    """A fake Lambda service; boto3's lambda clients are pointed at it."""
    record = FakeLambda("")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(record))
    record.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("AWS_ENDPOINT_URL_LAMBDA", record.url)
    yield record
    server.shutdown()
    server.server_close()
