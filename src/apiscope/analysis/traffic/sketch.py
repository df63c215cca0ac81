"""A mergeable latency sketch with a 1 % relative-error guarantee (the DDSketch scheme).

Access logs hold millions of durations per endpoint; keeping them all for exact percentiles
costs memory proportional to the file. Instead every duration x goes into a logarithmic bucket
`i = ceil(log(x) / log(g))` with `g = (1 + a) / (1 - a)` and `a = 0.01`. Every value in bucket i
lies in `(g**(i-1), g**i]`, and the bucket's representative `2 * g**i / (g + 1)` is within a
relative error a of each of them. A percentile read from the buckets is therefore within 1 % of
the true nearest-rank percentile of the samples. Durations from 1 us to a day need under 1,500
buckets, so memory is constant; two sketches merge by adding bucket counts, which is what lets
worker processes each sketch a part of a file. (Masson, Rim, Lee: "DDSketch", VLDB 2019.)

Hand-written rather than the `ddsketch` package: the hot path needs `add_many` over pre-counted
values and a picklable plain-dict state, and the whole scheme is forty lines.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

RELATIVE_ACCURACY = 0.01
GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY)
_LOG_GAMMA = math.log(GAMMA)
MIN_MS = 1e-3
"""Durations at or below one microsecond count as zero: no log finds them finer than that."""

ZERO = -(2**31)
"""The bucket of (near-)zero durations; far below any real bucket index."""


def bucket_of(ms: float) -> int:
    """The bucket index of a duration in milliseconds; durations ≤ `MIN_MS` share bucket `ZERO`."""
    if ms <= MIN_MS:
        return ZERO
    return math.ceil(math.log(ms) / _LOG_GAMMA)


def value_of(bucket: int) -> float:
    """The representative duration of a bucket: within 1 % of every value it holds."""
    if bucket == ZERO:
        return 0.0
    return 2 * GAMMA**bucket / (GAMMA + 1)


class LatencySketch:
    """Bucket counts of durations in milliseconds; mergeable and picklable."""

    __slots__ = ("buckets", "count")

    def __init__(self) -> None:
        self.buckets: dict[int, int] = {}
        self.count = 0

    def add(self, ms: float, times: int = 1) -> None:
        """Record `times` requests that took `ms` milliseconds."""
        self.add_bucket(bucket_of(ms), times)

    def add_bucket(self, bucket: int, times: int = 1) -> None:
        """Record `times` values already mapped to `bucket` (the parsers cache the mapping)."""
        self.buckets[bucket] = self.buckets.get(bucket, 0) + times
        self.count += times

    def merge(self, other: LatencySketch) -> None:
        """Add another sketch's counts into this one."""
        for bucket, times in other.buckets.items():
            self.add_bucket(bucket, times)

    def quantile(self, q: float) -> float | None:
        """The nearest-rank `q`-quantile (0 < q <= 1) within 1 %, or None when empty."""
        return self.quantiles((q,))[0]

    def quantiles(self, qs: Sequence[float]) -> list[float | None]:
        """Several quantiles in one pass over the sorted buckets."""
        if not self.count:
            return [None] * len(qs)
        ranks = [max(1, math.ceil(q * self.count)) for q in qs]
        found: dict[int, float] = {}
        seen = 0
        for bucket in sorted(self.buckets):
            seen += self.buckets[bucket]
            for rank in ranks:
                if rank <= seen and rank not in found:
                    found[rank] = value_of(bucket)
            if len(found) == len(set(ranks)):
                break
        return [found[rank] for rank in ranks]
