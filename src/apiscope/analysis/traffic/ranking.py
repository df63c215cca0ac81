"""Ranking endpoints by impact: the time users spend waiting on them, errors included.

    impact_ms = requests * p95_ms  +  requests * error_rate * ERROR_COST_MS

The first term is the waiting time an endpoint causes, taken at p95 rather than the mean so a
slow tail counts: a 2 s p95 on 10,000 requests outranks a 5 s p95 on 10. Ranking by latency
alone would put a rarely-called admin page first; by requests alone, a fast health check. The
second term prices each failed (5xx) request at `ERROR_COST_MS` (1 s by default) of waiting: a
failure costs the user at least a retry, so an endpoint that fails fast does not rank as healthy.
Ties are broken by error rate, then p99, then the endpoint, so the order is deterministic.

When a metrics export lacks p95 the next best latency stands in (p99, then the average, then
p50); without `requests`, an entry counts as one request.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from apiscope.analysis.traffic.models import WorstApi

ERROR_COST_MS = 1000.0


def waiting_ms(api: WorstApi) -> float:
    """The latency that stands for an endpoint's wait: p95, else p99, average or p50."""
    for value in (api.p95_ms, api.p99_ms, api.avg_ms, api.p50_ms):
        if value is not None:
            return value
    return 0.0


def impact_ms(api: WorstApi, error_cost_ms: float = ERROR_COST_MS) -> float:
    """The documented impact score of one endpoint, in milliseconds of user waiting."""
    requests = api.requests if api.requests is not None else 1
    return requests * (waiting_ms(api) + (api.error_rate or 0.0) * error_cost_ms)


def rank(
    apis: Iterable[WorstApi], top: int | None = None, error_cost_ms: float = ERROR_COST_MS
) -> list[WorstApi]:
    """The endpoints from most to least impact; the first `top` of them when given."""

    def key(api: WorstApi) -> tuple[float, float, float, str, str]:
        impact = impact_ms(api, error_cost_ms)
        return (-impact, -(api.error_rate or 0.0), -(api.p99_ms or 0.0), api.path, api.method)

    ranked = sorted(apis, key=key)
    return ranked if top is None else ranked[:top]


def ranked_json(
    apis: Iterable[WorstApi], error_cost_ms: float = ERROR_COST_MS
) -> list[dict[str, Any]]:
    """Worst-API objects with their `impact_ms`, valid input for `apiscope analyze --worst`."""
    return [{**api.to_json(), "impact_ms": round(impact_ms(api, error_cost_ms), 3)} for api in apis]
