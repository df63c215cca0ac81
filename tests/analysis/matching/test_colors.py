"""Colour coding by p95, p99 and error rate, with the reason for each colour."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from apiscope.analysis.matching import Color, ColorThresholds, Limits, grade


@dataclass
class Observed:
    p95_ms: float | None = None
    p99_ms: float | None = None
    avg_ms: float | None = None
    error_rate: float | None = None


@pytest.mark.parametrize(
    ("metrics", "color"),
    [
        (Observed(p95_ms=1000), Color.RED),
        (Observed(p95_ms=999.9), Color.ORANGE),
        (Observed(p99_ms=2500), Color.RED),
        (Observed(error_rate=0.05), Color.RED),
        (Observed(p95_ms=500), Color.ORANGE),
        (Observed(p99_ms=1000), Color.ORANGE),
        (Observed(error_rate=0.01), Color.ORANGE),
        (Observed(p95_ms=200), Color.YELLOW),
        (Observed(p99_ms=500), Color.YELLOW),
        (Observed(error_rate=0.001), Color.YELLOW),
        (Observed(p95_ms=199, p99_ms=499, error_rate=0.0009), Color.GREEN),
    ],
)
def test_default_thresholds(metrics: Observed, color: Color) -> None:
    """Each default limit gives its colour exactly at the limit, and the colour below under it."""
    assert grade(metrics)[0] is color


def test_most_severe_metric_decides_and_reason_names_every_one_reaching_it() -> None:
    """A red p95 and a red error rate are both named; the orange p99 is not."""
    color, reason = grade(Observed(p95_ms=1240, p99_ms=1800, error_rate=0.07))
    assert color is Color.RED
    assert reason == "red: p95 1,240 ms ≥ 1,000 ms; error rate 7 % ≥ 5 %"


def test_green_reason_lists_the_values() -> None:
    """A green API says which values were compared."""
    assert grade(Observed(p95_ms=120, error_rate=0.0001)) == (
        Color.GREEN,
        "green: p95 120 ms, error rate 0.01 %, all under the yellow thresholds",
    )


def test_average_stands_in_for_a_missing_p95() -> None:
    """Without p95 the average is judged against the p95 limits, and the reason says so."""
    color, reason = grade(Observed(avg_ms=600))
    assert color is Color.ORANGE
    assert "avg 600 ms ≥ 500 ms (average, as no p95 was given)" in reason


def test_no_metrics_is_green_with_a_reason() -> None:
    """An API with no metrics has nothing to flag, and says that."""
    assert grade(Observed()) == (
        Color.GREEN,
        "no p95, p99, average or error rate given, so nothing to flag",
    )


def test_custom_thresholds() -> None:
    """Configured limits replace the defaults."""
    strict = ColorThresholds(
        red=Limits(300, 600, 0.01), orange=Limits(150, 300, 0.005), yellow=Limits(50, 100, 0.0001)
    )
    assert grade(Observed(p95_ms=320), strict)[0] is Color.RED
    assert grade(Observed(p95_ms=320))[0] is Color.YELLOW


@pytest.mark.parametrize(
    "limits",
    [
        {"red": Limits(100, 2500, 0.05)},
        {"yellow": Limits(0, 500, 0.001)},
        {"red": Limits(1000, 2500, 2.0)},
    ],
)
def test_thresholds_must_be_ordered_and_sane(limits: dict[str, Limits]) -> None:
    """Red limits below orange, a zero limit or an error rate over 1 are refused."""
    with pytest.raises(ValueError, match="threshold"):
        ColorThresholds(**limits)
