"""From a block of log lines to per-endpoint statistics.

Identical (method, grouped path, status, raw duration) rows are counted first, in C; the Python
loop then runs once per distinct row, not once per line. Raw durations repeat a lot (nginx writes
milliseconds), so their conversion to a sketch bucket is cached too. Both caches are bounded.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from apiscope.analysis.routes import ANY_METHOD
from apiscope.analysis.traffic.formats.base import Cell, Columns, LineFormat, status_code
from apiscope.analysis.traffic.grouping import CACHE_LIMIT, Grouper
from apiscope.analysis.traffic.sketch import bucket_of
from apiscope.analysis.traffic.stats import EndpointStats, Tally

MAX_ENDPOINTS = 10_000
"""Distinct endpoints per part of a log; beyond it requests count under `OTHER`, so a log of
never-repeating URLs the heuristics cannot group still runs in bounded memory."""
OTHER = (ANY_METHOD, "/(other)")
_UNSEEN = (-1.0, 0)
"""Marks a raw duration not converted yet (None means converted, and missing or invalid)."""


@dataclass
class Aggregator:
    """Reads blocks of one log format into tallies; one per worker process."""

    format: LineFormat
    grouper: Grouper
    max_endpoints: int = MAX_ENDPOINTS
    _durations: dict[object, tuple[float, int] | None] = field(default_factory=dict)

    def tally_block(self, block: bytes, first_line: int, into: Tally | None = None) -> Tally:
        """Everything in one block of whole lines starting at 1-based line `first_line`, added
        to `into` (in-process, saving a merge per block) or to a new tally (in a worker)."""
        tally = Tally() if into is None else into
        self.add_columns(self.format.columns(block, first_line, tally), tally)
        return tally

    def add_columns(self, columns: Columns, tally: Tally) -> None:
        """Count parsed rows into `tally`: statuses per endpoint, then durations per endpoint."""
        methods, paths, statuses, durations = columns
        if not methods:
            return
        grouped = self.grouper.prepare(paths)
        endpoints: dict[tuple[Cell, Cell], EndpointStats] = {}
        for (method, path, status), times in Counter(
            zip(methods, grouped, statuses, strict=True)
        ).items():
            stats = endpoints.get((method, path))
            if stats is None:
                stats = endpoints[method, path] = self._stats(tally, method, path)
            stats.add(status_code(status), times)
        for (method, path, raw), times in Counter(
            zip(methods, grouped, durations, strict=True)
        ).items():
            duration = self._durations.get(raw, _UNSEEN)
            if duration is _UNSEEN:
                duration = self._duration(raw)
            if duration is not None:
                endpoints[method, path].add_duration(duration[0], duration[1], times)

    def _stats(self, tally: Tally, method: Cell, path: Cell) -> EndpointStats:
        key = self.grouper.endpoint(method, path)
        if key in tally.endpoints or len(tally.endpoints) < self.max_endpoints:
            return tally.endpoint(*key)
        return tally.endpoint(*OTHER)

    def _duration(self, raw: object) -> tuple[float, int] | None:
        """(ms, sketch bucket) of a raw duration, cached; None for a missing or bad one."""
        if len(self._durations) >= CACHE_LIMIT:
            self._durations.clear()
        try:
            ms = self.format.to_ms(raw)
        except ValueError:
            ms = None
        found = None if ms is None or ms < 0 or not math.isfinite(ms) else (ms, bucket_of(ms))
        self._durations[raw] = found
        return found
