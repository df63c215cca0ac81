"""Recognising what a traffic file is from its first few lines.

A JSON array (or `{"worst_apis": [...]}`) is a metrics export; a CSV header is a metrics export
or a table of requests; otherwise the line formats are each tried on up to `SAMPLE_LINES` lines
and the one that reads the most wins (ties go to the more specific format: ALB, then nginx, then
API Gateway, then generic JSON Lines). Nothing readable is an error naming the first line.
"""

from __future__ import annotations

import enum
import json

from apiscope.analysis.traffic.formats import table
from apiscope.analysis.traffic.formats.alb import AlbFormat
from apiscope.analysis.traffic.formats.base import LineFormat
from apiscope.analysis.traffic.formats.combined import CombinedFormat
from apiscope.analysis.traffic.formats.jsonlines import APIGW_FIELDS, JsonFields, JsonLinesFormat
from apiscope.errors import InvalidInput

SAMPLE_LINES = 20


class Kind(enum.StrEnum):
    """What a traffic file holds; the first six are the `--format` choices."""

    AUTO = "auto"
    NGINX = "nginx"
    ALB = "alb"
    APIGW = "apigw"
    CSV = "csv"
    JSON = "json"
    JSON_LINES = "jsonl"
    """Resolved from `json`: one request object per line."""
    JSON_DOCUMENT = "json-document"
    """Resolved from `json`: an array of worst-API objects."""


def line_format(kind: Kind, fields: JsonFields, time_unit: str = "auto") -> LineFormat:
    """The block parser of a line-oriented kind."""
    if kind is Kind.NGINX:
        return CombinedFormat(time_unit)
    if kind is Kind.ALB:
        return AlbFormat()
    if kind is Kind.APIGW:
        return JsonLinesFormat(APIGW_FIELDS, name="apigw")
    return JsonLinesFormat(fields)


def detect(sample: bytes, source: str, fields: JsonFields, wanted: Kind = Kind.AUTO) -> Kind:
    """The kind of a file from its first bytes; `wanted` narrows `auto` or `json`."""
    text = sample.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text:
        raise InvalidInput(f"{source}: the file is empty")
    if wanted not in (Kind.AUTO, Kind.JSON):
        return wanted
    if _is_document(text):
        return Kind.JSON_DOCUMENT
    if wanted is Kind.AUTO and table.sniff(text, fields):
        return Kind.CSV
    kinds = (
        (Kind.JSON_LINES,)
        if wanted is Kind.JSON
        else (Kind.ALB, Kind.NGINX, Kind.APIGW, Kind.JSON_LINES)
    )
    found = _best_line_kind(text, kinds, fields)
    if found is None:
        first_line = sample[: len(sample) - len(text)].count(b"\n") + 1
        raise InvalidInput(_unrecognised(text, source, wanted, first_line))
    return found


def _is_document(text: bytes) -> bool:
    """A JSON array, or a JSON object that does not fit on its first line."""
    if text.startswith(b"["):
        return True
    if not text.startswith(b"{"):
        return False
    try:
        json.loads(text.split(b"\n", 1)[0])
    except ValueError:
        return True
    return False


def _best_line_kind(text: bytes, kinds: tuple[Kind, ...], fields: JsonFields) -> Kind | None:
    lines = [line for line in text.split(b"\n")[:-1] if line.strip()][:SAMPLE_LINES] or [text]
    scores = {kind: _score(kind, lines, fields) for kind in kinds}
    best = max(kinds, key=lambda kind: scores[kind])
    return best if scores[best] else None


def _score(kind: Kind, lines: list[bytes], fields: JsonFields) -> int:
    parser = line_format(kind, fields)
    read = sum(parser.sniff(line) for line in lines)
    if kind is Kind.APIGW:
        read = sum(b'"requestId"' in line for line in lines) and read
    return read


def _unrecognised(text: bytes, source: str, wanted: Kind, line: int) -> str:
    first = text.split(b"\n", 1)[0].decode("utf-8", "replace").strip()
    shown = first if len(first) <= 80 else first[:80] + "…"
    expected = (
        "a JSON array of worst APIs or one JSON request object per line"
        if wanted is Kind.JSON
        else "nginx/Apache combined, ALB, API Gateway or JSON Lines access logs, "
        "a CSV with a header row, or a JSON array of worst APIs"
    )
    return (
        f"{source}: unrecognised format: line {line} ({shown!r}) is not {expected}; pass --format"
    )
