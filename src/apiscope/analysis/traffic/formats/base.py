"""What every access-log format gives the aggregator: four columns per block of lines.

A format turns a block of raw lines into parallel columns (method, path, status, raw duration),
and says how a raw duration becomes milliseconds. Columns rather than per-line objects, because
the aggregator counts identical rows in C (`collections.Counter` over `zip`) before any Python
code runs per row; that is what keeps pure-Python ingestion fast.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Sequence
from itertools import compress
from typing import Protocol

from apiscope.analysis.traffic.stats import MAX_EXAMPLES, Tally

Cell = bytes | str | int | float | None
Columns = tuple[Sequence[Cell], Sequence[Cell], Sequence[Cell], Sequence[object]]
"""methods, paths, statuses, raw durations: one entry per request line, in the same order."""
EMPTY: Columns = ((), (), (), ())


class LineFormat(Protocol):
    """An access-log format read a block of whole lines at a time."""

    @property
    def name(self) -> str:
        """Short id: `nginx`, `alb`, `apigw`, `json`."""
        ...

    def columns(self, block: bytes, first_line: int, tally: Tally) -> Columns:
        """The requests of a block; lines that cannot be read go to `tally.reject`."""
        ...

    def to_ms(self, raw: object) -> float | None:
        """A raw duration from `columns` in milliseconds; None when the line had none."""
        ...

    def sniff(self, line: bytes) -> bool:
        """Whether one line is in this format (for detection)."""
        ...


def lenient(pattern: re.Pattern[bytes]) -> re.Pattern[bytes]:
    """A multi-line pattern that also matches any other non-blank line, into one extra last group.

    With it `findall` sees every line of a block in one pass in C: good lines fill the format's
    groups, malformed ones only the last group, so they are counted and quoted without a second,
    line-by-line pass over the block.
    """
    body = pattern.pattern.removeprefix(b"^").removesuffix(b"$")
    return re.compile(b"^(?:" + body + rb")$|^([^\n]*\S[^\n]*)$", re.MULTILINE)


def regex_columns(
    pattern: re.Pattern[bytes], block: bytes, first_line: int, tally: Tally
) -> list[tuple[bytes, ...]]:
    """The groups of every good line of a block, as columns; `pattern` is `lenient`.

    Lines are counted and malformed ones rejected into `tally`.
    """
    rows: list[tuple[bytes, ...]] = pattern.findall(block)
    if not rows:
        return []
    tally.lines += len(rows)
    columns = list(zip(*rows, strict=True))
    bad = columns.pop()
    if any(bad):  # filtered with itertools, in C: a malformed line in every block is common
        _reject(block, first_line, list(compress(bad, bad)), tally)
        good = list(map(operator.not_, bad))
        columns = [tuple(compress(column, good)) for column in columns]
    return columns


def _reject(block: bytes, first_line: int, bad: list[bytes], tally: Tally) -> None:
    """Count malformed lines; find the line numbers of the few that are quoted."""
    quoted = bad[: max(0, MAX_EXAMPLES - len(tally.examples))]
    cursor = 0
    for raw in quoted:
        at = block.find(raw, cursor)
        tally.reject(first_line + block.count(b"\n", 0, at), raw)
        cursor = at + len(raw)
    tally.malformed += len(bad) - len(quoted)


def status_code(raw: Cell) -> int:
    """An HTTP status as an int; a missing one (`-`, empty) is 0, neither success nor error."""
    if isinstance(raw, int):
        return raw
    try:
        return int(raw) if raw is not None else 0
    except ValueError:
        return 0
