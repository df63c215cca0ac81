"""Endpoints built by hand (no discovery, no context builder), configs aimed at the fake server."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from apiscope.analysis.analysers.base import (
    Analysis,
    ApiUnderAnalysis,
    CodeContext,
    CodeUnit,
    Evidence,
    Finding,
)
from apiscope.analysis.analysers.llm import LlmAnalyser, LlmConfig
from apiscope.analysis.analysers.llm.config import Provider
from apiscope.analysis.routes import Route
from apiscope.jobs.retry import RetryPolicy
from tests.analysis.analysers.llm.fake_llm import KEY, FakeLlm

HANDLER = """\
@router.get("/orders/{user_id}")
def list_orders(user_id: int, db: Session):
    orders = db.query(Order).filter(Order.user_id == user_id).all()
    for order in orders:
        order.items = db.query(Item).filter(Item.order_id == order.id).all()
    return [serialize(order) for order in orders]
"""
"""Lines 10-15 of app/api/orders.py: an N+1 query at lines 12-14."""

SERIALIZE = """\
def serialize(order):
    total = sum(item.price for item in order.items)
    return {"id": order.id, "total": total}
"""


def handler_unit(
    source: str = HANDLER, file: str = "app/api/orders.py", start: int = 10
) -> CodeUnit:
    end = start + len(source.splitlines()) - 1
    return CodeUnit(file, "list_orders", "python", start, end, source, depth=0)


def callee_unit(
    source: str = SERIALIZE,
    name: str = "serialize",
    file: str = "app/services/orders.py",
    start: int = 40,
    depth: int = 1,
) -> CodeUnit:
    end = start + len(source.splitlines()) - 1
    return CodeUnit(file, name, "python", start, end, source, depth=depth)


def make_api(
    path: str = "/orders/{user_id}", units: tuple[CodeUnit, ...] | None = None, method: str = "GET"
) -> ApiUnderAnalysis:
    units = (handler_unit(), callee_unit()) if units is None else units
    route = Route(path, method, "app/api/orders.py", 10, "list_orders", "fastapi")
    metrics = {"p95_ms": 2300.0, "p99_ms": 4100.0, "error_rate": 0.01, "requests": 12000}
    return ApiUnderAnalysis(f"{method} {path}", metrics, "red", route, CodeContext(units))


def rule_finding(api: str = "GET /orders/{user_id}", rule: str = "n-plus-one") -> Finding:
    evidence = Evidence("app/api/orders.py", 13, 14, "for order in orders: ...")
    return Finding(
        api,
        rule,
        "high",
        "Query in a loop",
        "A query runs once per order.",
        (evidence,),
        "Batch the queries.",
    )


def baseline(*findings: Finding) -> Analysis:
    return Analysis("rules", findings, {"GET /orders/{user_id}": "rules summary"}, "rules", ())


class RecordingSleep:
    """Stands in for asyncio.sleep between retries: records each delay, waits for none."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        await asyncio.sleep(0)


FAST_RETRIES = RetryPolicy(max_attempts=3, base_delay=0.01, multiplier=2.0, max_delay=0.05)


def config_for(fake: FakeLlm, provider: Provider = "openai", **changes: object) -> LlmConfig:
    """A config aimed at the fake server with the right key and quick retries."""
    base = f"{fake.url}/v1" if provider == "openai" else fake.url
    model = "gpt-4o-mini" if provider == "openai" else "claude-3-5-haiku-latest"
    config = LlmConfig(
        provider,
        model,
        base,
        SecretStr(KEY),
        timeout=5.0,
        max_concurrency=4,
        token_budget=200_000,
        retry=FAST_RETRIES,
    )
    return dataclasses.replace(config, **changes)  # type: ignore[arg-type]


def analyser_for(
    fake: FakeLlm, provider: Provider = "openai", **changes: object
) -> tuple[LlmAnalyser, RecordingSleep]:
    sleep = RecordingSleep()
    return LlmAnalyser(config_for(fake, provider, **changes), sleep=sleep), sleep


@pytest.fixture
def fake() -> Iterator[FakeLlm]:
    with FakeLlm() as server:
        yield server
