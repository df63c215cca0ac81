"""Result rows of every benchmark: ours beside its baseline, the ratio, and the report formats."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Row:
    """One measure of one benchmark; `ratio` is ours / baseline, whatever the unit."""

    benchmark: str
    measure: str
    ours: float
    baseline: float
    unit: str
    higher_is_better: bool
    note: str = ""

    @property
    def ratio(self) -> float:
        """ours / baseline (inf when the baseline is zero)."""
        return self.ours / self.baseline if self.baseline else math.inf

    def to_json(self) -> dict[str, Any]:
        """The row with its ratio, as written to `bench/results/latest.json`."""
        fields = asdict(self)
        for key in ("ours", "baseline"):
            fields[key] = round(fields[key], 3)
        return {**fields, "ratio": round(self.ratio, 3)}


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile: a value that was actually observed, no interpolation."""
    if not values:
        raise ValueError("no samples")
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def _number(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.2f}" if value >= 1 else f"{value:.3f}"


def markdown(rows: Iterable[Row]) -> str:
    """A Markdown table of rows; the ratio column says which way is better."""
    lines = [
        "| benchmark | measure | ours | baseline | ours / baseline | notes |",
        "|---|---|---:|---:|---:|---|",
    ]
    for row in rows:
        better = "higher is better" if row.higher_is_better else "lower is better"
        lines.append(
            f"| {row.benchmark} | {row.measure} | {_number(row.ours)} {row.unit} "
            f"| {_number(row.baseline)} {row.unit} | **{row.ratio:.2f}** ({better}) "
            f"| {row.note} |"
        )
    return "\n".join(lines)
