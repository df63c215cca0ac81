"""Severity colours for matched APIs, by thresholds on p95, p99 and error rate.

An API gets the most severe colour any of its metrics reaches; the reason names every metric
that reached it. The defaults, and why:

| colour | p95 >=  | p99 >=  | error rate >= |
|--------|---------|---------|---------------|
| red    | 1000 ms | 2500 ms | 5 %           |
| orange | 500 ms  | 1000 ms | 1 %           |
| yellow | 200 ms  | 500 ms  | 0.1 %         |
| green  | below all of the yellow limits            |

- Latency: 1 s is where users lose their flow of thought (Nielsen's response-time limits), so a
  p95 past it is red; Google's Core Web Vitals call an interaction over 500 ms "poor" (orange)
  and under 200 ms "good", around where delay starts to be noticed (yellow above it).
- Tail: p99 limits sit 2 to 2.5 times above the p95 ones. A tail that long is common in healthy
  services, so only a tail beyond it raises the colour on its own.
- Errors: 0.1 % is the whole error budget of a 99.9 % availability SLO (yellow); 1 % burns it ten
  times too fast (orange); 5 %, one request in twenty, is an incident (red).

When no p95 is given, the average stands in for it: for the right-skewed latencies of real
services the average is below the p95, so this can understate severity but never overstate it.
Grey (no route matches) is decided by matching, not here.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Protocol


class Color(enum.StrEnum):
    """The contract's colours, most severe first."""

    RED = "red"
    ORANGE = "orange"
    YELLOW = "yellow"
    GREEN = "green"
    GREY = "grey"


@dataclass(frozen=True, slots=True)
class Limits:
    """Where one colour starts: reaching any one of these gives the colour."""

    p95_ms: float
    p99_ms: float
    error_rate: float


@dataclass(frozen=True, slots=True)
class ColorThresholds:
    """Red, orange and yellow limits; each must be at least as strict as the next colour's."""

    red: Limits = field(default_factory=lambda: Limits(1000.0, 2500.0, 0.05))
    orange: Limits = field(default_factory=lambda: Limits(500.0, 1000.0, 0.01))
    yellow: Limits = field(default_factory=lambda: Limits(200.0, 500.0, 0.001))

    def __post_init__(self) -> None:
        for name in ("p95_ms", "p99_ms", "error_rate"):
            values = [getattr(limits, name) for limits in (self.yellow, self.orange, self.red)]
            if not 0 < values[0] <= values[1] <= values[2]:
                raise ValueError(f"{name} thresholds must be positive and yellow ≤ orange ≤ red")
        if self.red.error_rate > 1:
            raise ValueError("error-rate thresholds are fractions between 0 and 1")

    def levels(self) -> tuple[tuple[Color, Limits], ...]:
        """The colours with limits, most severe first."""
        return ((Color.RED, self.red), (Color.ORANGE, self.orange), (Color.YELLOW, self.yellow))


class Metrics(Protocol):
    """What colouring reads from a worst API; any of it may be missing."""

    @property
    def p95_ms(self) -> float | None: ...
    @property
    def p99_ms(self) -> float | None: ...
    @property
    def avg_ms(self) -> float | None: ...
    @property
    def error_rate(self) -> float | None: ...


def grade(metrics: Metrics, thresholds: ColorThresholds | None = None) -> tuple[Color, str]:
    """The colour of a matched API and the reason for it."""
    limits = thresholds or ColorThresholds()
    observed = _observed(metrics)
    if not observed:
        return Color.GREEN, "no p95, p99, average or error rate given, so nothing to flag"
    for color, level in limits.levels():
        reached = [
            _describe(name, value, level)
            for name, value in observed
            if _reaches(name, value, level)
        ]
        if reached:
            return color, f"{color}: " + "; ".join(reached)
    below = ", ".join(f"{_label(n)} {_show(n, v)}" for n, v in observed)
    return Color.GREEN, f"green: {below}, all under the yellow thresholds"


def _observed(metrics: Metrics) -> list[tuple[str, float]]:
    """(metric, value) pairs present; the average stands in for a missing p95."""
    p95 = metrics.p95_ms
    pairs = [("p95_ms", p95) if p95 is not None else ("avg_ms", metrics.avg_ms)]
    pairs += [("p99_ms", metrics.p99_ms), ("error_rate", metrics.error_rate)]
    return [(name, value) for name, value in pairs if value is not None]


def _limit(name: str, level: Limits) -> float:
    return float(getattr(level, "p95_ms" if name == "avg_ms" else name))


def _reaches(name: str, value: float, level: Limits) -> bool:
    return value >= _limit(name, level)


def _describe(name: str, value: float, level: Limits) -> str:
    stand_in = " (average, as no p95 was given)" if name == "avg_ms" else ""
    limit = _show(name, _limit(name, level))
    return f"{_label(name)} {_show(name, value)} ≥ {limit}{stand_in}"


def _label(name: str) -> str:
    return {"p95_ms": "p95", "p99_ms": "p99", "avg_ms": "avg", "error_rate": "error rate"}[name]


def _show(name: str, value: float) -> str:
    if name == "error_rate":
        return f"{value * 100:.3g} %"
    return f"{value:,.0f} ms" if value >= 10 else f"{value:.3g} ms"
