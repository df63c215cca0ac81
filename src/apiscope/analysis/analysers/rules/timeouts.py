"""Outbound HTTP calls that can wait forever: clients whose default is no timeout at all.

Only where the default is known to be none: `requests`, `urllib`'s `urlopen`, Go's `http.Get`
and `http.DefaultClient`, and a Go `http.Client{}` literal without `Timeout`. httpx (5 s by
default), aiohttp (5 min) and fetch are left alone, and so is axios, whose instances may get a
timeout from configuration this rule cannot see.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from apiscope.analysis.analysers.base import Severity
from apiscope.analysis.analysers.context.syntax import nodes_of, text
from apiscope.analysis.analysers.rules.base import ApiCode, Hit
from apiscope.analysis.analysers.rules.calls import Call
from apiscope.analysis.analysers.rules.code import Spot, UnitCode

_REQUESTS_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options",
                             "request"})  # fmt: skip
_GO_DEFAULT_CLIENT = frozenset({"http.Get", "http.Post", "http.Head", "http.PostForm",
                                "http.DefaultClient.Do", "http.DefaultClient.Get",
                                "http.DefaultClient.Post"})  # fmt: skip
_ADVICE = {
    "python": "Pass `timeout=` (e.g. `timeout=(3.05, 10)` for connect and read) on every call, "
    "sized to the endpoint's own latency budget.",
    "go": "Use an `http.Client` with `Timeout` set (or a request context with a deadline, "
    "`http.NewRequestWithContext`) instead of the default client.",
}


class HttpWithoutTimeout:
    """An outbound call with no timeout: a stuck upstream holds the request indefinitely."""

    id = "http-without-timeout"
    severity: Severity = "medium"
    label = "HTTP calls without a timeout"
    languages = frozenset({"python", "go"})

    def check(self, code: UnitCode, api: ApiCode) -> Iterator[Hit]:
        """One hit per unit, every call without a timeout as evidence."""
        found = [(code.spot(call.node), f"`{call.shown}`") for call in code.calls
                 if _without_timeout(call, code.language)]  # fmt: skip
        if code.language == "go":
            literals = nodes_of(code.function, "go", frozenset({"composite_literal"}))
            found += [(code.spot(n), "`http.Client{}`") for n in literals
                      if _client_literal_without_timeout(n)]  # fmt: skip
        if found:
            found.sort(key=lambda item: item[0].start)
            yield self._hit(code, found)

    def _hit(self, code: UnitCode, found: list[tuple[Spot, str]]) -> Hit:
        if code.language == "go":
            default = "go through Go's default client or an http.Client without `Timeout`"
        else:
            default = "have no timeout (requests and urllib default to none)"
        names = ", ".join(shown for _, shown in found)
        return Hit(
            spots=tuple(spot for spot, _ in found),
            title=f"HTTP call without a timeout in {code.name}",
            explanation=(
                f"{names} {default}: a slow or unresponsive upstream keeps this request (and "
                "the worker serving it) waiting until the operating system gives up, often "
                "minutes later."
            ),
            recommendation=_ADVICE[code.language],
        )


def _without_timeout(call: Call, language: str) -> bool:
    if language == "go":
        return call.callee in _GO_DEFAULT_CLIENT
    if "timeout" in call.keywords or "**" in call.keywords:
        return False
    if call.root == "requests" and len(call.segments) == 2 and call.name in _REQUESTS_VERBS:
        return True
    positional = [a for a in call.arguments if a.type != "keyword_argument"]
    return call.callee in ("urlopen", "urllib.request.urlopen") and len(positional) < 3


def _client_literal_without_timeout(literal: Node) -> bool:
    kind = literal.child_by_field_name("type")
    body = literal.child_by_field_name("body")
    if text(kind) != "http.Client" or body is None:
        return False
    keys = {text(element.named_children[0]) for element in body.named_children
            if element.type == "keyed_element" and element.named_children}  # fmt: skip
    return "Timeout" not in keys
