"""CSV files with a header row: a metrics export (one endpoint per row) or one request per row.

A header with any metric column (`p95_ms`, `p99Ms`, `error_rate`, `requests`, ...) is a metrics
export: each row is a worst API, validated like the JSON ones, and a bad row is an error naming
its line. Otherwise, a header with a path column (any of `JsonFields.path`, or `request`) makes
each row one request, read with the same field names as JSON Lines and aggregated like a log.
The delimiter is whichever of `,` `;` and tab the header uses most.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import suppress
from typing import BinaryIO

from pydantic.alias_generators import to_camel

from apiscope.analysis.traffic.formats.jsonlines import JsonFields, JsonLinesFormat, Row
from apiscope.analysis.traffic.models import WorstApi, validate_worst_api
from apiscope.analysis.traffic.stats import Tally

_METRICS = ("p50_ms", "p95_ms", "p99_ms", "avg_ms", "error_rate", "requests")
METRIC_COLUMNS = frozenset(_METRICS) | {to_camel(m) for m in _METRICS}
_ENDPOINT_COLUMNS = frozenset({"method", "path", "url", "endpoint"})
BATCH = 20_000
"""Request rows aggregated at a time: the CSV reader's equivalent of a log block."""


def delimiter(header: str) -> str:
    """The delimiter the header line uses most."""
    return max(",;\t", key=header.count)


def header_kind(header: list[str], fields: JsonFields) -> str | None:
    """`metrics`, `requests`, or None when the header is neither."""
    names = {name.strip() for name in header}
    if names & METRIC_COLUMNS and names & _ENDPOINT_COLUMNS:
        return "metrics"
    if names & {*fields.path, *fields.request, *fields.route}:
        return "requests"
    return None


def header_names(sample: bytes) -> list[str]:
    """The column names of the first line of `sample`."""
    first = sample.split(b"\n", 1)[0].decode("utf-8-sig", "replace").strip()
    if not first or first[0] in "[{" or delimiter(first) not in first:
        return []
    return [name.strip() for name in next(csv.reader([first], delimiter=delimiter(first)))]


def sniff(sample: bytes, fields: JsonFields) -> bool:
    """Whether the sample starts with a CSV header this module can read."""
    return header_kind(header_names(sample), fields) is not None


def _records(stream: BinaryIO) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row without empty cells) after the header."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")
    try:
        yield from _rows(text)
    finally:
        # The caller owns `stream`: the wrapper must not close it when collected. If the caller
        # closed the stream first (an error ended its loop), there is nothing left to protect.
        with suppress(ValueError):
            text.detach()


def _rows(text: io.TextIOWrapper) -> Iterator[tuple[int, dict[str, str]]]:
    header_line, skipped = text.readline(), 1
    while header_line and not header_line.strip():
        header_line, skipped = text.readline(), skipped + 1
    names = header_names(header_line.encode())
    reader = csv.DictReader(text, fieldnames=names, delimiter=delimiter(header_line))
    for row in reader:
        cells = {k: v.strip() for k, v in row.items() if isinstance(k, str) and isinstance(v, str)}
        if any(cells.values()):
            yield reader.line_num + skipped, {k: v for k, v in cells.items() if v}


def read_metrics(stream: BinaryIO, source: str) -> list[WorstApi]:
    """Every row of a metrics export as a worst API; a bad row names its line."""
    return [validate_worst_api(row, f"{source} line {line}") for line, row in _records(stream)]


def request_batches(stream: BinaryIO, fields: JsonFields, tally: Tally) -> Iterator[list[Row]]:
    """Batches of request rows; rows are counted, and unreadable ones rejected, in `tally`."""
    reader = JsonLinesFormat(fields)
    batch: list[Row] = []
    for line, record in _records(stream):
        tally.lines += 1
        row = reader.record_row(record)
        if row is None:
            tally.reject(line, ",".join(record.values()).encode())
        else:
            batch.append(row)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    yield batch
