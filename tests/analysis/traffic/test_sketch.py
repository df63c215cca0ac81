"""The latency sketch: percentiles within 1 % of exact, and merging equals sketching the union."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from apiscope.analysis.traffic import LatencySketch
from apiscope.analysis.traffic.sketch import RELATIVE_ACCURACY

durations = st.lists(
    st.one_of(st.floats(0.001, 120_000.0), st.sampled_from([0.0, 1.0, 1000.0])), min_size=1
)
quantile = st.sampled_from([0.01, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0])


def nearest_rank(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(1, math.ceil(q * len(ordered))) - 1]


def sketch_of(values: list[float]) -> LatencySketch:
    sketch = LatencySketch()
    for value in values:
        sketch.add(value)
    return sketch


@settings(max_examples=300, deadline=None)
@given(durations, quantile)
def test_quantile_within_relative_accuracy(values: list[float], q: float) -> None:
    """Any quantile is within 1 % of the exact nearest-rank quantile of the samples."""
    exact = nearest_rank(values, q)
    estimate = sketch_of(values).quantile(q)
    assert estimate is not None
    assert abs(estimate - exact) <= RELATIVE_ACCURACY * exact * (1 + 1e-9) + 1e-3


@settings(max_examples=200, deadline=None)
@given(durations, durations)
def test_merge_equals_sketching_everything(left: list[float], right: list[float]) -> None:
    """Merging two sketches gives the same buckets as one sketch of both samples."""
    merged = sketch_of(left)
    merged.merge(sketch_of(right))
    whole = sketch_of(left + right)
    assert (merged.buckets, merged.count) == (whole.buckets, whole.count)


def test_repeated_values_count_once_per_bucket() -> None:
    """`add(ms, times)` is `times` single adds, and memory is one bucket."""
    sketch = LatencySketch()
    sketch.add(250.0, times=1_000_000)
    assert sketch.count == 1_000_000 and len(sketch.buckets) == 1
    assert sketch.quantile(0.99) == sketch.quantile(0.01)


def test_empty_sketch_has_no_quantiles() -> None:
    """No samples, no percentile (rather than a made-up zero)."""
    assert LatencySketch().quantile(0.95) is None


def test_bucket_count_stays_small_over_a_huge_range() -> None:
    """From 1 µs to one day, the number of buckets stays bounded (constant memory)."""
    sketch = LatencySketch()
    value = 0.001
    while value < 86_400_000:
        sketch.add(value)
        value *= 1.001
    assert len(sketch.buckets) < 1500
