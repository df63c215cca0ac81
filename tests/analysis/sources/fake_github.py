"""A fake GitHub REST API on 127.0.0.1, real HTTP in a thread, for the real client to talk to.

It answers the three calls apiscope makes (repository, commit SHA of a ref, tarball), like
GitHub: 404 for a private repository without a valid token, 401 for a bad token, 409 for an
empty repository, and the tarball as a 302 to a second server on another port (another origin,
as codeload.github.com is), so what crosses the redirect can be checked. `fail_next` makes the
next matching request answer whatever error a test needs (rate limits, 5xx).
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class FakeRepo:
    default_branch: str = "main"
    refs: dict[str, str] = field(default_factory=dict)
    """Branch or tag name → commit SHA."""
    tarballs: dict[str, bytes] = field(default_factory=dict)
    """Commit SHA → .tar.gz bytes."""
    private: bool = False
    empty: bool = False


@dataclass
class Recorded:
    server: str
    path: str
    headers: dict[str, str]


@dataclass
class Canned:
    status: int
    headers: dict[str, str]
    body: dict[str, Any]


_REPO = re.compile(r"^(?:/api/v3)?/repos/([^/]+)/([^/]+)(?:/(commits|tarball)/(.+))?$")
"""GitHub.com paths, and GitHub Enterprise's under /api/v3."""
_CODELOAD = re.compile(r"^/codeload/([^/]+)/([^/]+)/([0-9a-f]+)$")


class FakeGitHub:
    """State shared by the API server and the codeload server."""

    def __init__(self, token: str | None = None) -> None:
        self.token = token
        self.repos: dict[tuple[str, str], FakeRepo] = {}
        self.requests: list[Recorded] = []
        self.canned: list[tuple[str, Canned]] = []
        self._api = _server(self, "api")
        self._codeload = _server(self, "codeload")

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self._api.server_port}"

    @property
    def codeload_url(self) -> str:
        return f"http://127.0.0.1:{self._codeload.server_port}"

    def fail_next(self, prefix: str, status: int, headers: dict[str, str], **body: Any) -> None:
        """The next request whose path starts with `prefix` gets this answer instead."""
        self.canned.append((prefix, Canned(status, headers, body)))

    def paths(self, server: str = "api") -> list[str]:
        return [r.path for r in self.requests if r.server == server]

    def __enter__(self) -> FakeGitHub:
        for server in (self._api, self._codeload):
            threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        for server in (self._api, self._codeload):
            server.shutdown()
            server.server_close()

    def answer(self, server: str, path: str, headers: dict[str, str]) -> tuple[int, dict, bytes]:
        """Status, headers and body for one GET."""
        self.requests.append(Recorded(server, path, headers))
        for index, (prefix, canned) in enumerate(self.canned):
            if path.startswith(prefix):
                del self.canned[index]
                return canned.status, canned.headers, json.dumps(canned.body).encode()
        if server == "codeload":
            return self._codeload_answer(path)
        return self._api_answer(path, headers)

    def _api_answer(self, path: str, headers: dict[str, str]) -> tuple[int, dict, bytes]:
        auth = headers.get("authorization")
        if auth is not None and auth != f"Bearer {self.token}":
            return _json(401, message="Bad credentials")
        match = _REPO.match(path)
        repo = self.repos.get((match.group(1), match.group(2))) if match else None
        if match is None or repo is None or (repo.private and auth is None):
            return _json(404, message="Not Found")
        owner, name, call, arg = match.groups()
        if call is None:
            return _json(200, full_name=f"{owner}/{name}", default_branch=repo.default_branch)
        if call == "tarball":
            location = f"{self.codeload_url}/codeload/{owner}/{name}/{arg}"
            return 302, {"Location": location}, b""
        if repo.empty:
            return _json(409, message="Git Repository is empty.")
        sha = repo.refs.get(arg) or (arg if arg in repo.tarballs else None)
        if sha is None:
            return _json(422, message=f"No commit found for SHA: {arg}")
        if headers.get("accept") == "application/vnd.github.sha":
            return 200, {"Content-Type": "application/vnd.github.sha"}, sha.encode()
        return _json(200, sha=sha)

    def _codeload_answer(self, path: str) -> tuple[int, dict, bytes]:
        match = _CODELOAD.match(path)
        repo = self.repos.get((match.group(1), match.group(2))) if match else None
        if match is None or repo is None or match.group(3) not in repo.tarballs:
            return 404, {}, b"Not Found"
        return 200, {"Content-Type": "application/x-gzip"}, repo.tarballs[match.group(3)]


def _json(status: int, **body: Any) -> tuple[int, dict, bytes]:
    return status, {"Content-Type": "application/json"}, json.dumps(body).encode()


def _server(state: FakeGitHub, name: str) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, extra, body = state.answer(name, self.path, headers)
            self.send_response(status)
            for key, value in extra.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: pytest output stays readable."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    return server
