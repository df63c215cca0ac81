"""Worker processes and byte ranges: the same tally as one process, failures that surface."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apiscope.analysis.traffic.aggregate import Aggregator
from apiscope.analysis.traffic.formats.base import Columns
from apiscope.analysis.traffic.formats.combined import CombinedFormat
from apiscope.analysis.traffic.grouping import HeuristicGrouper
from apiscope.analysis.traffic.parallel import tally_here, tally_units
from apiscope.analysis.traffic.ranges import RangeReader, plan_ranges
from apiscope.analysis.traffic.stats import Tally
from apiscope.errors import ApiscopeError
from tests.analysis.traffic.conftest import nginx_line


@dataclass(frozen=True)
class ExplodingFormat(CombinedFormat):
    """The combined format, except that it fails on the block starting at line 41."""

    name: str = "exploding"

    def columns(self, block: bytes, first_line: int, tally: Tally) -> Columns:
        if first_line == 41:
            raise ValueError("cannot parse this block")
        return super().columns(block, first_line, tally)


def blocks(count: int) -> list[tuple[int, bytes]]:
    """`count` blocks of 20 lines each, numbered as a reader numbers them."""
    return [
        (1 + 20 * i, "".join(nginx_line("GET", f"/b{i}/{n}") + "\n" for n in range(20)).encode())
        for i in range(count)
    ]


def aggregator() -> Aggregator:
    return Aggregator(CombinedFormat(), HeuristicGrouper())


def summary(tally: Tally) -> tuple[object, ...]:
    requests = {k: v.requests for k, v in tally.endpoints.items()}
    return tally.lines, tally.malformed, tally.examples, requests


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.binary(max_size=12).map(lambda b: b.replace(b"\n", b"")), max_size=30),
    st.integers(1, 40),
)
def test_ranges_own_every_line_exactly_once(lines: list[bytes], range_bytes: int) -> None:
    """However a file is cut into ranges, reading them in order gives back the file."""
    data = b"".join(line + b"\n" for line in lines)
    with tempfile.NamedTemporaryFile() as file:
        file.write(data)
        file.flush()
        read = b""
        for part in plan_ranges(Path(file.name), range_bytes):
            reader = RangeReader(file, part.start, part.end)
            while chunk := reader.read(5):
                read += chunk
    assert read == data


def test_ranges_in_workers_equal_one_process(tmp_path: Path) -> None:
    """A file cut into many small ranges over three workers tallies like one process,
    malformed-line numbers included."""
    lines = [nginx_line("GET", f"/r{i % 7}/{i}", 200 + (i % 3) * 150) for i in range(900)]
    lines[500] = "a broken line"
    lines[777] = "another broken line"
    log = tmp_path / "access.log"
    log.write_text("\n".join(lines) + "\n")
    ranges = plan_ranges(log, 2000)
    here = tally_here(aggregator(), ranges, 512)
    there = tally_units(aggregator(), ranges, 3, 512)
    assert summary(there) == summary(here)
    assert [(m.line, m.text) for m in there.examples] == [
        (501, "a broken line"),
        (778, "another broken line"),
    ]
    assert there.lines == 900 and len(ranges) > 10


def test_blocks_in_workers_equal_one_process() -> None:
    """Blocks (as from a gzip stream) spread over workers add up to the in-process tally."""
    assert summary(tally_units(aggregator(), blocks(30), 2, 512)) == summary(
        tally_here(aggregator(), blocks(30), 512)
    )


def test_a_failing_worker_is_reported_not_waited_for() -> None:
    """An exception inside a worker ends the run with one `ApiscopeError` naming it."""
    exploding = Aggregator(ExplodingFormat(), HeuristicGrouper())
    with pytest.raises(ApiscopeError, match="failed in a worker process: ValueError: cannot parse"):
        tally_units(exploding, blocks(30), 2, 512)
