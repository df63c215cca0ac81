"""URL-to-route matching: the segment trie against one compiled regex per route, tried in turn.

5,000 routes shaped like a large REST API (versions, resources, nested resources, actions, a few
typed parameters) and 1,000,000 request URLs made from them, with ids, UUIDs, query strings,
trailing slashes and 5 % URLs that match nothing. Both sides answer the same question: the most
specific route whose path matches, with its method.

The baseline is how a list-of-regexes router works (Starlette's `compile_path`: each template to
an anchored regex, `[^/]+` per parameter), with the routes pre-sorted by specificity so it picks
what the trie picks. It costs time proportional to the routes it tries, so it runs on a sample of
URLs and its per-URL cost is extrapolated; the agreement of both sides on that sample is checked
and reported.
"""

from __future__ import annotations

import asyncio
import random
import re
import sys
import time
import uuid
from urllib.parse import unquote

from apiscope.analysis.matching import Matcher
from apiscope.analysis.matching.urls import request_path
from apiscope.analysis.routes import Route
from bench.results import Row, markdown

NAME = "matching"
RESOURCES = [f"{word}{n}" if n else word for n in range(8) for word in (
    "users", "orders", "products", "carts", "invoices", "payments", "shipments", "reviews",
    "coupons", "accounts", "teams", "projects", "files", "reports", "events", "tickets",
    "comments", "tags", "webhooks", "sessions", "plans", "subscriptions", "refunds", "stores",
)]  # fmt: skip
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
_PARAM = re.compile(r"\{([A-Za-z_]\w*)(?::([^{}]+))?\}")
_TYPES = {"int": r"-?\d+", "uuid": r"[0-9a-fA-F-]{36}"}


def make_routes(count: int, rng: random.Random) -> list[Route]:
    """`count` distinct routes of a versioned REST API, in a shuffled declaration order."""
    shapes = (
        "/api/v{v}/{r}", "/api/v{v}/{r}/{{id}}", "/api/v{v}/{r}/{{id:int}}/{s}",
        "/api/v{v}/{r}/{{id}}/{s}/{{sub_id}}", "/api/v{v}/{r}/{{id}}/actions/{a}",
        "/api/v{v}/{r}/search", "/api/v{v}/{r}/{{id:uuid}}/history",
    )  # fmt: skip
    found: dict[tuple[str, str], Route] = {}
    while len(found) < count:
        path = rng.choice(shapes).format(
            v=rng.randint(1, 3), r=rng.choice(RESOURCES), s=rng.choice(RESOURCES),
            a=rng.choice(("approve", "cancel", "archive", "export")),
        )  # fmt: skip
        method = rng.choice(METHODS)
        found.setdefault(
            (method, path), Route(path, method, "app.py", len(found) + 1, "h", "bench")
        )
    return list(found.values())


def make_url(route: Route, rng: random.Random) -> str:
    """A request URL for a route: parameters filled, sometimes a query or a trailing slash."""

    def fill(match: re.Match[str]) -> str:
        return (
            str(uuid.UUID(int=rng.getrandbits(128)))
            if match.group(2) == "uuid"
            else str(rng.randint(1, 10**7))
        )

    url = _PARAM.sub(fill, route.path)
    if rng.random() < 0.3:
        url += f"?page={rng.randint(1, 9)}&sort=desc"
    elif rng.random() < 0.1:
        url += "/"
    return url


def make_requests(routes: list[Route], count: int, rng: random.Random) -> list[tuple[str, str]]:
    """`count` (method, url) pairs; 5 % of them to paths no route declares."""
    requests = []
    for _ in range(count):
        route = rng.choice(routes)
        url = make_url(route, rng)
        if rng.random() < 0.05:
            url = "/unknown" + url
        requests.append((route.method, url))
    return requests


def trie_run(
    routes: list[Route], requests: list[tuple[str, str]]
) -> tuple[float, float, list[str | None]]:
    """(compile seconds, match seconds, matched template per request)."""
    started = time.perf_counter()
    matcher = Matcher(routes)
    compiled = time.perf_counter() - started
    started = time.perf_counter()
    found = [matcher.lookup(method, url).route for method, url in requests]
    took = time.perf_counter() - started
    return compiled, took, [r.path if r else None for r in found]


def _specificity(route: Route) -> tuple[int, ...]:
    """Static segments first, then typed, then plain parameters: the order the trie prefers."""
    parts = [p for p in route.path.split("/") if p]
    return tuple(0 if "{" not in p else 1 if ":" in p else 2 for p in parts)


def compile_regexes(routes: list[Route]) -> list[tuple[re.Pattern[str], Route]]:
    """One anchored regex per route, most specific first (Starlette's `compile_path` scheme)."""

    def param(match: re.Match[str]) -> str:
        return f"(?P<{match.group(1)}>{_TYPES.get(match.group(2) or '', '[^/]+')})"

    ordered = sorted(routes, key=_specificity)
    return [(re.compile("^" + _PARAM.sub(param, r.path.rstrip("/")) + "$"), r) for r in ordered]


def regex_lookup(
    compiled: list[tuple[re.Pattern[str], Route]], method: str, url: str
) -> Route | None:
    """Try every route's regex in turn; the first FULL match wins."""
    path = unquote(request_path(url)).rstrip("/") or "/"
    for regex, route in compiled:
        if regex.match(path) and route.method == method:
            return route
    return None


def regex_run(
    routes: list[Route], requests: list[tuple[str, str]]
) -> tuple[float, float, list[str | None]]:
    """(compile seconds, match seconds, matched template per request) for the baseline."""
    started = time.perf_counter()
    compiled = compile_regexes(routes)
    compile_seconds = time.perf_counter() - started
    started = time.perf_counter()
    found = [regex_lookup(compiled, method, url) for method, url in requests]
    took = time.perf_counter() - started
    return compile_seconds, took, [r.path if r else None for r in found]


async def run(routes: int = 5000, urls: int = 1_000_000, sample: int = 5000) -> list[Row]:
    """The trie on every URL, the baseline on a sample; per-URL rates (baseline extrapolated)."""
    rng = random.Random(20261128)
    declared = make_routes(routes, rng)
    requests = make_requests(declared, urls, rng)
    print(f"  {routes:,} routes, {urls:,} URLs generated", file=sys.stderr, flush=True)
    trie_compile, trie_seconds, trie_found = trie_run(declared, requests)
    base_compile, base_seconds, base_found = regex_run(declared, requests[:sample])
    agree = sum(a == b for a, b in zip(trie_found[:sample], base_found, strict=True))
    matched = sum(found is not None for found in trie_found)
    note = (
        f"{routes:,} routes; trie on all {urls:,} URLs ({matched / urls:.0%} matched), baseline on "
        f"the first {sample:,} (extrapolated per URL); same route on {agree}/{sample} of them"
    )
    return [
        Row(NAME, "URLs matched per second: segment trie vs one regex per route",
            urls / trie_seconds, sample / base_seconds, "URL/s", True, note),
        Row(NAME, f"seconds to match {urls:,} URLs (baseline extrapolated)",
            trie_seconds, base_seconds * urls / sample, "s", False, note),
        Row(NAME, f"(informative) seconds to compile {routes:,} routes",
            trie_compile, base_compile, "s", False, "trie build vs re.compile per route"),
    ]  # fmt: skip


def main() -> None:
    """`python -m bench.matching`: run this benchmark alone."""
    print(markdown(asyncio.run(run())))


if __name__ == "__main__":
    main()
