"""The rule analyser end to end: discovered routes, their contexts, findings and summaries."""

from __future__ import annotations

from pathlib import Path

from apiscope.analysis.analysers.base import ApiUnderAnalysis, CodeContext
from apiscope.analysis.analysers.context import build_context
from apiscope.analysis.analysers.rules import RULES, RuleAnalyser
from apiscope.analysis.discovery import discover
from apiscope.analysis.discovery.project import Project
from tests.analysis.analysers.conftest import Write, route_to

APP = {
    "shop/main.py": """
        import time

        import requests
        from fastapi import FastAPI

        from shop.pricing import price_for

        app = FastAPI()


        @app.get("/orders")
        async def list_orders():
            orders = Order.objects.all()
            for order in orders:
                order.price = price_for(order)
            return orders


        @app.get("/health")
        def health():
            return {"ok": True}


        @app.post("/sync")
        def sync():
            time.sleep(1)
            requests.get("https://erp.example/sync")
            return {}
    """,
    "shop/pricing.py": """
        def price_for(order):
            product = Product.objects.get(id=order.product_id)
            return product.price * order.quantity
    """,
}


def _apis(root: Path, order: list[str]) -> list[ApiUnderAnalysis]:
    project = Project.scan(root)
    routes = {r.handler: r for r in discover(root, workers=1).routes}
    return [
        ApiUnderAnalysis(
            f"{routes[h].method} {routes[h].path}",
            {"p95_ms": 900},
            "red",
            routes[h],
            build_context(project, routes[h]),
        )
        for h in order
    ]


async def test_findings_are_ordered_by_severity_then_api_then_line(
    write: Write, tmp_path: Path
) -> None:
    """High findings of every API come first (APIs in input order), then medium ones."""
    write(APP)
    apis = _apis(tmp_path, ["sync", "list_orders", "health"])
    seen: list[tuple[int, int]] = []

    async def progress(done: int, total: int) -> None:
        seen.append((done, total))

    analysis = await RuleAnalyser().analyse(apis, progress=progress)
    rows = [(f.severity, f.api, f.rule, f.evidence[0].file, f.evidence[0].line_start)
            for f in analysis.findings]  # fmt: skip
    assert rows == [
        ("high", "GET /orders", "n-plus-one", "shop/main.py", 15),
        ("medium", "POST /sync", "sleep-in-request", "shop/main.py", 26),
        ("medium", "POST /sync", "http-without-timeout", "shop/main.py", 27),
        ("medium", "GET /orders", "unbounded-query", "shop/main.py", 13),
    ]
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert analysis.provider == "rules"


async def test_evidence_is_the_exact_file_lines(write: Write, tmp_path: Path) -> None:
    """The N+1 through `price_for` shows the loop's call and the helper's query, verbatim."""
    write(APP)
    analysis = await RuleAnalyser().analyse(_apis(tmp_path, ["list_orders"]))
    n_plus_one = next(f for f in analysis.findings if f.rule == "n-plus-one")
    evidence = [(e.file, e.line_start, e.line_end, e.snippet) for e in n_plus_one.evidence]
    assert evidence == [
        ("shop/main.py", 15, 15, "        order.price = price_for(order)"),
        ("shop/pricing.py", 2, 2, "    product = Product.objects.get(id=order.product_id)"),
    ]
    lines = (tmp_path / "shop/pricing.py").read_text().split("\n")
    assert lines[1] == evidence[1][3]


async def test_summaries_per_api_and_overall(write: Write, tmp_path: Path) -> None:
    """Each API gets a sentence, a clean one says what was looked at, a missing handler says
    so, and the overall summary counts by severity."""
    write(APP)
    apis = _apis(tmp_path, ["list_orders", "health"])
    missing = ApiUnderAnalysis("GET /gone", {}, "red", route_to("shop/main.py", 99, "gone"),
                               CodeContext())  # fmt: skip
    analysis = await RuleAnalyser().analyse([*apis, missing])
    assert analysis.summaries["GET /orders"] == (
        "2 likely causes: N+1 queries in list_orders (main.py:15); "
        "queries without a limit in list_orders (main.py:13)"
    )
    assert analysis.summaries["GET /health"] == "No known slow pattern found in the handler."
    assert analysis.summaries["GET /gone"] == (
        "The handler was not found in the repository, so no code was analysed."
    )
    assert analysis.summary == (
        "2 likely causes in 1 of 2 endpoints (1 high, 1 medium). "
        "The handler of 1 endpoint was not found in the repository."
    )


async def test_duplicate_hits_of_one_rule_are_reported_once(write: Write) -> None:
    """A rule yielding the same lines twice (the same API listed twice, say) gives one
    finding per API."""
    project = write({"app.py": "def handler():\n    time.sleep(1)\n"})
    route = route_to("app.py", 1, "handler")
    api = ApiUnderAnalysis("GET /items", {}, "red", route, build_context(project, route))
    sleep_rule = next(rule for rule in RULES if rule.id == "sleep-in-request")
    analysis = await RuleAnalyser([sleep_rule, sleep_rule]).analyse([api])
    assert [(f.rule, f.evidence[0].line_start) for f in analysis.findings] == [
        ("sleep-in-request", 2)
    ]


def test_at_least_twelve_rules_with_unique_ids() -> None:
    """The catalog ships a dozen or more rules, each id once."""
    ids = [rule.id for rule in RULES]
    assert len(ids) >= 12
    assert len(set(ids)) == len(ids)
