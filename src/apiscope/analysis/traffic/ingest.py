"""Reading a traffic file, whatever it is, into worst-API objects.

    report = read_traffic(Path("access.log.gz"))                 # format detected
    report = read_traffic(path, TrafficOptions(routes=discovery.routes))  # grouped by the code

Access logs stream through the parsers in blocks (in worker processes when the file is large)
and end as one worst API per endpoint with exact counts and error rates and sketched percentiles.
Metrics exports (JSON arrays, metric CSVs) are validated and returned as they are.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from apiscope.analysis.matching.prefixes import detect_base_paths
from apiscope.analysis.matching.trie import Matcher
from apiscope.analysis.routes import Route
from apiscope.analysis.traffic.aggregate import MAX_ENDPOINTS, OTHER, Aggregator
from apiscope.analysis.traffic.detect import Kind, detect, line_format
from apiscope.analysis.traffic.formats import table
from apiscope.analysis.traffic.formats.jsonlines import JsonFields, JsonLinesFormat
from apiscope.analysis.traffic.grouping import Grouper, HeuristicGrouper, RouteGrouper
from apiscope.analysis.traffic.models import WorstApi, parse_worst_apis
from apiscope.analysis.traffic.parallel import tally_here, tally_units
from apiscope.analysis.traffic.ranges import plan_ranges
from apiscope.analysis.traffic.reader import BLOCK_BYTES, blocks, head, is_gzip, open_log
from apiscope.analysis.traffic.stats import Malformed, Tally
from apiscope.errors import InvalidInput

PARALLEL_FROM_BYTES = 32 * 1024 * 1024
"""Smaller files are read in-process: starting workers costs more than it saves."""
MAX_WORKERS = 4
RANGE_BLOCKS = 8
"""Blocks per byte range handed to a worker: 32 MB ranges with the default 4 MB blocks."""


@dataclass(frozen=True)
class TrafficOptions:
    """How to read a traffic file; the defaults detect everything."""

    format: Kind = Kind.AUTO
    routes: tuple[Route, ...] | None = None
    """The code's routes: group requests by the template they match (else by URL shape)."""
    base_paths: tuple[str, ...] = ()
    """Prefixes the URLs carry and the routes do not (`/prod`); detected when empty."""
    fields: dict[str, str] = field(default_factory=dict)
    """JSON Lines / CSV field names by role (`method`, `path`, `status`, `duration`)."""
    time_unit: str = "auto"
    """Unit of the request-time field of combined logs, or of `fields["duration"]`."""
    workers: int | None = None
    """Parser processes; None picks by file size and CPUs."""
    block_bytes: int = BLOCK_BYTES
    """Bytes handed to a parser at a time."""
    max_endpoints: int = MAX_ENDPOINTS
    """Distinct endpoints kept per worker; requests to further ones count under `/(other)`."""

    def json_fields(self) -> JsonFields:
        """The JSON field candidates with the configured names first."""
        unit = self.time_unit if self.time_unit != "auto" else "ms"
        return JsonFields().preferring(self.fields, unit) if self.fields else JsonFields()


@dataclass(frozen=True)
class TrafficReport:
    """What a traffic file holds, and what could not be read in it."""

    source: str
    format: Kind
    apis: tuple[WorstApi, ...]
    lines: int
    malformed: int = 0
    examples: tuple[Malformed, ...] = ()
    overflow: int = 0
    """Requests counted under `/(other)` because the log had more endpoints than `MAX_ENDPOINTS`."""

    def summary(self) -> str:
        """One line for a terminal: what was read and what was skipped."""
        text = f"{self.source}: {self.format}, {self.lines:,} lines, {len(self.apis):,} endpoints"
        if self.malformed:
            quoted = "; ".join(f"line {m.line}: {m.text!r}" for m in self.examples[:3])
            lines = "line" if self.malformed == 1 else "lines"
            text += f"; skipped {self.malformed:,} malformed {lines} ({quoted})"
        return text


def read_traffic(path: Path, options: TrafficOptions | None = None) -> TrafficReport:
    """Read an access log or metrics export into worst APIs (unranked, sorted by endpoint)."""
    options = options or TrafficOptions()
    fields = options.json_fields()
    kind = detect(head(path), str(path), fields, options.format)
    if kind is Kind.JSON_DOCUMENT:
        return _document(path)
    if kind is Kind.CSV:
        return _csv(path, options, fields)
    aggregator = Aggregator(
        line_format(kind, fields, options.time_unit),
        _grouper(path, kind, options, fields),
        options.max_endpoints,
    )
    return _report(path, kind, _tally_file(path, aggregator, options))


def _tally_file(path: Path, aggregator: Aggregator, options: TrafficOptions) -> Tally:
    """In this process, or in workers: reading byte ranges themselves, or blocks of a gzip."""
    workers, size = _workers(path, options), options.block_bytes
    if workers > 1 and not is_gzip(path):
        return tally_units(aggregator, plan_ranges(path, size * RANGE_BLOCKS), workers, size)
    with open_log(path) as stream:
        if workers > 1:
            return tally_units(aggregator, blocks(stream, size), workers, size)
        return tally_here(aggregator, blocks(stream, size), size)


def _document(path: Path) -> TrafficReport:
    with open_log(path) as stream:
        try:
            data = json.load(stream)
        except ValueError as exc:
            raise InvalidInput(f"{path}: not valid JSON: {exc}") from None
    apis = parse_worst_apis(data, source=str(path))
    return TrafficReport(str(path), Kind.JSON_DOCUMENT, tuple(apis), len(apis))


def _csv(path: Path, options: TrafficOptions, fields: JsonFields) -> TrafficReport:
    names = table.header_names(head(path).lstrip(b"\xef\xbb\xbf \t\r\n"))
    with open_log(path) as stream:
        if table.header_kind(names, fields) == "metrics":
            apis = table.read_metrics(stream, str(path))
            return TrafficReport(str(path), Kind.CSV, tuple(apis), len(apis))
        tally = Tally()
        grouper = _grouper(path, Kind.CSV, options, fields)
        aggregator = Aggregator(JsonLinesFormat(fields), grouper, options.max_endpoints)
        for batch in table.request_batches(stream, fields, tally):
            if batch:
                methods, paths, statuses, durations = zip(*batch, strict=True)
                aggregator.add_columns((methods, paths, statuses, durations), tally)
    return _report(path, Kind.CSV, tally)


def _report(path: Path, kind: Kind, tally: Tally) -> TrafficReport:
    if tally.lines and tally.lines == tally.malformed:
        first = tally.examples[0]
        raise InvalidInput(
            f"{path}: no line could be read as {kind}; line {first.line}: {first.text!r}"
        )
    stats = sorted(tally.endpoints.values(), key=lambda s: (s.path, s.method))
    apis = tuple(WorstApi.model_validate(s.to_worst_api()) for s in stats)
    other = tally.endpoints.get(OTHER)
    overflow = other.requests if other else 0
    return TrafficReport(
        str(path), kind, apis, tally.lines, tally.malformed, tuple(tally.examples), overflow
    )


def _grouper(path: Path, kind: Kind, options: TrafficOptions, fields: JsonFields) -> Grouper:
    if options.routes is None:
        return HeuristicGrouper()
    matcher = Matcher(options.routes)
    base_paths = options.base_paths or detect_base_paths(matcher, _sample_paths(path, kind, fields))
    return RouteGrouper(matcher.with_base_paths(base_paths))


def _sample_paths(path: Path, kind: Kind, fields: JsonFields) -> Iterable[str]:
    """Request paths from the head of the file, for base-path detection."""
    if kind is Kind.CSV:
        return ()
    sample = head(path)
    sample = sample[: sample.rfind(b"\n") + 1]
    _, paths, _, _ = line_format(kind, fields).columns(sample, 1, Tally())
    return [p.decode("utf-8", "replace") if isinstance(p, bytes) else str(p) for p in paths]


def _workers(path: Path, options: TrafficOptions) -> int:
    if options.workers is not None:
        return max(1, options.workers)
    size = path.stat().st_size * (8 if is_gzip(path) else 1)
    if size < PARALLEL_FROM_BYTES:
        return 1
    return min(
        MAX_WORKERS,
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1,
    )
