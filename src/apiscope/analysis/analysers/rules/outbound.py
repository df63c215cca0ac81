"""Whether a call goes out over HTTP: the client libraries of each language, or a client object
asked for something that is plainly a URL (`client.get(f"{BASE}/users")`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from apiscope.analysis.analysers.rules.calls import Call, looks_like_url

_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request",
                    "stream", "send"})  # fmt: skip
_CLIENT_NAMES = re.compile(r"(client|session|http|api|axios|requester|fetcher)$", re.IGNORECASE)


def python_http(call: Call) -> str | None:
    """requests, httpx, urllib, aiohttp, and client objects called with a URL."""
    if call.root in ("requests", "httpx") and len(call.segments) == 2 and call.name in _VERBS:
        return f"{call.root}.{call.name}"
    if call.name == "urlopen":
        return "urlopen"
    return _client_with_url(call)


def js_http(call: Call) -> str | None:
    """fetch, axios, got, superagent, Node's http(s), NestJS HttpService, and URL'd clients."""
    if call.callee in ("fetch", "axios", "got", "ky", "$fetch", "ofetch", "request", "undici"):
        return None if call.callee == "request" and not _url_first(call) else call.callee
    if call.root in ("axios", "got", "superagent", "ky", "needle") and call.name in _VERBS:
        return f"{call.root}.{call.name}"
    if call.root in ("http", "https") and call.name in ("get", "request") and _url_first(call):
        return f"{call.root}.{call.name}"
    if re.search(r"httpService$", call.receiver) and call.name in _VERBS:
        return "HttpService"
    return _client_with_url(call)


_REST_TEMPLATE = frozenset(
    {"getForObject", "getForEntity", "postForObject", "postForEntity", "exchange",
     "patchForObject", "postForLocation", "headForHeaders", "optionsForAllow"}
)  # fmt: skip


def java_http(call: Call) -> str | None:
    """RestTemplate, WebClient, java.net.http and OkHttp."""
    if call.name in _REST_TEMPLATE:
        return "RestTemplate"
    if call.name in ("send", "sendAsync") and re.search(r"client$", call.receiver, re.I):
        return "HttpClient"
    if call.name in ("block", "bodyToMono", "bodyToFlux", "toEntity") and "retrieve" in (
        call.segments
    ):
        return "WebClient"
    if call.name == "execute" and "newCall" in call.segments:
        return "OkHttp"
    return None


def go_http(call: Call) -> str | None:
    """net/http's helpers and clients (`http.Get`, `client.Do(req)`)."""
    if call.root == "http" and call.name in ("Get", "Post", "Head", "PostForm"):
        return f"http.{call.name}"
    if call.name == "Do" and re.search(r"client$", call.receiver, re.I):
        return "http.Client.Do"
    return None


def ruby_http(call: Call) -> str | None:
    """Net::HTTP, HTTParty, Faraday and RestClient."""
    if call.root in ("HTTParty", "Faraday", "RestClient") and call.name in _VERBS:
        return call.root
    if call.callee.startswith("Net::HTTP") and call.name in ("get", "get_response", "post_form",
                                                             "start"):  # fmt: skip
        return "Net::HTTP"
    return None


def php_http(call: Call) -> str | None:
    """Laravel's Http facade, Guzzle clients given a URL, curl."""
    if call.root == "Http" and call.name in _VERBS:
        return "Http"
    if call.name in ("curl_exec", "file_get_contents") and call.arguments:
        return call.name if call.name == "curl_exec" or _url_first(call) else None
    return _client_with_url(call)


def csharp_http(call: Call) -> str | None:
    """HttpClient's `…Async` methods."""
    verbs = re.compile(r"^(Get|Post|Put|Patch|Delete|Send)(String|ByteArray|Stream|FromJson|"
                       r"AsJson)?Async$")  # fmt: skip
    if verbs.match(call.name) and re.search(r"client|http", call.receiver, re.I):
        return "HttpClient"
    return None


def rust_http(call: Call) -> str | None:
    """reqwest."""
    if call.callee.startswith("reqwest::") and call.name in ("get", "post"):
        return "reqwest"
    if call.name == "send" and re.search(r"client", call.root, re.I):
        return "reqwest"
    return None


def _client_with_url(call: Call) -> str | None:
    """`self.client.get(f"{BASE}/users")`: a client object's verb, given a URL."""
    if call.name.lower() in _VERBS and _CLIENT_NAMES.search(call.receiver) and _url_first(call):
        return f"{call.receiver}.{call.name}"
    return None


def _url_first(call: Call) -> bool:
    return bool(call.arguments) and looks_like_url(call.arguments[0])


OUTBOUND: dict[str, Callable[[Call], str | None]] = {
    "python": python_http,
    "javascript": js_http,
    "typescript": js_http,
    "tsx": js_http,
    "java": java_http,
    "kotlin": java_http,
    "go": go_http,
    "ruby": ruby_http,
    "php": php_http,
    "csharp": csharp_http,
    "rust": rust_http,
}


def http_kind(call: Call, language: str) -> str | None:
    """The HTTP client a call uses, or None when it is not (recognisably) an outbound call."""
    if call.constructor:
        return None
    classify = OUTBOUND.get(language)
    return classify(call) if classify is not None else None
