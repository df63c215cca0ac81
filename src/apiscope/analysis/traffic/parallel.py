"""Tallying a log on every core: worker processes parse, the parent only hands out work.

Parsing is CPU-bound Python, so threads would share one core; processes do not. An uncompressed
file is cut into byte ranges that each worker reads itself (`ranges.py`), so no log data
crosses a pipe; a gzip file cannot be entered mid-way, so the parent decompresses it and hands
out blocks through a bounded queue. Either way memory stays constant. Each worker adds all its
work into one set of endpoint statistics and sends it once, at the end: per-unit results would
make the parent unpickle and merge every endpoint again and again. What does travel per unit is
small: its line counts and malformed-line examples, whose line numbers the parent makes
absolute. The result equals one process reading the file front to back.

How workers start: on Linux in a single-threaded process (the CLI, a script) with `fork`, which
is fastest and never re-runs the caller's `__main__` (a script without an `if __name__` guard
would otherwise run again in every worker). In a process with threads (an API server), where a
fork could inherit a lock held by another thread, with `forkserver`, and elsewhere with `spawn`.
If the workers cannot start, the work is done in this process instead.
"""

from __future__ import annotations

import logging
import multiprocessing
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace
from multiprocessing.process import BaseProcess
from typing import Any

from apiscope.analysis.traffic.aggregate import Aggregator
from apiscope.analysis.traffic.ranges import ByteRange, RangeReader
from apiscope.analysis.traffic.reader import blocks
from apiscope.analysis.traffic.stats import MAX_EXAMPLES, EndpointStats, Malformed, Tally
from apiscope.analysis.traffic.workers import READY, next_message, put, stop
from apiscope.errors import ApiscopeError

IN_FLIGHT_PER_WORKER = 2
START_TIMEOUT = 60.0
logger = logging.getLogger(__name__)

Block = tuple[int, bytes]
Unit = ByteRange | Block


@dataclass(frozen=True, slots=True)
class Part:
    """What a worker reports about one unit: counts, and examples numbered within the unit."""

    index: int
    """The range's index, or -1 for a block (whose line numbers are already absolute)."""
    newlines: int
    lines: int
    malformed: int
    examples: list[Malformed]


def tally_units(
    aggregator: Aggregator, units: Iterable[Unit], workers: int, block_bytes: int
) -> Tally:
    """The merged tally of every unit (byte ranges or blocks), parsed by `workers` processes."""
    context: Any = multiprocessing.get_context(_start_method())
    tasks, results = context.Queue(workers * IN_FLIGHT_PER_WORKER), context.Queue()
    args = (aggregator, tasks, results, block_bytes)
    processes = [context.Process(target=_work, args=args, daemon=True) for _ in range(workers)]
    try:
        if not _started(processes, results):
            return tally_here(aggregator, units, block_bytes)
        return _collect(_feed(units, processes, tasks), processes, results)
    finally:
        stop(processes)
        tasks.cancel_join_thread()  # units still queued after a failure are not to be sent
        tasks.close()


def tally_here(aggregator: Aggregator, units: Iterable[Unit], block_bytes: int) -> Tally:
    """The same work in this process."""
    endpoints: dict[tuple[str, str], EndpointStats] = {}
    parts = [_run(aggregator, unit, endpoints, block_bytes) for unit in units]
    return _assemble(parts, [Tally(endpoints=endpoints)])


def _work(aggregator: Aggregator, tasks: Any, results: Any, block_bytes: int) -> None:
    """A worker: run units until the `None` sentinel, then send its endpoints (or the failure)."""
    results.put(READY)
    endpoints: dict[tuple[str, str], EndpointStats] = {}
    try:
        while (unit := tasks.get()) is not None:
            results.put(_run(aggregator, unit, endpoints, block_bytes))
        results.put(Tally(endpoints=endpoints))
    except Exception as exc:  # sent to the parent, which raises it as one line
        results.put(f"{type(exc).__name__}: {exc}")


def _run(
    aggregator: Aggregator, unit: Unit, endpoints: dict[tuple[str, str], EndpointStats], size: int
) -> Part:
    """Tally one unit into `endpoints`; its counts and examples as a `Part`."""
    part = Tally(endpoints=endpoints)
    if not isinstance(unit, ByteRange):
        aggregator.tally_block(unit[1], unit[0], into=part)
        return Part(-1, 0, part.lines, part.malformed, part.examples)
    newlines = 0
    with unit.path.open("rb") as file:
        for first_line, block in blocks(RangeReader(file, unit.start, unit.end), size):
            aggregator.tally_block(block, first_line, into=part)
            newlines += block.count(b"\n")
    return Part(unit.index, newlines, part.lines, part.malformed, part.examples)


def _started(processes: list[BaseProcess], results: Any) -> bool:
    """Start the workers and wait until each says it runs; False if they cannot."""
    try:
        for process in processes:
            process.start()
        return all(next_message(results, processes, START_TIMEOUT) == READY for _ in processes)
    except (OSError, ApiscopeError) as exc:
        logger.warning("parser processes could not start (%s); parsing in this process", exc)
        return False


def _feed(units: Iterable[Unit], processes: list[BaseProcess], tasks: Any) -> int:
    """Queue every unit, then one sentinel per worker; the number of units."""
    count = 0
    for unit in units:
        put(tasks, unit, processes)
        count += 1
    for _ in processes:
        put(tasks, None, processes)
    return count


def _collect(units: int, processes: list[BaseProcess], results: Any) -> Tally:
    parts: list[Part] = []
    tallies: list[Tally] = []
    while len(parts) < units or len(tallies) < len(processes):
        message = next_message(results, processes, None)
        if isinstance(message, Part):
            parts.append(message)
        elif isinstance(message, Tally):
            tallies.append(message)
        else:
            raise ApiscopeError(f"log parsing failed in a worker process: {message}")
    return _assemble(parts, tallies)


def _assemble(parts: list[Part], tallies: list[Tally]) -> Tally:
    """Merge the workers' endpoints and the units' counts; examples get absolute line numbers."""
    total = Tally()
    for tally in tallies:
        total.merge(tally)
    offset = 0
    for part in sorted(parts, key=lambda p: p.index):
        total.lines += part.lines
        total.malformed += part.malformed
        total.examples += [replace(m, line=m.line + offset) for m in part.examples]
        offset += part.newlines
    total.examples = sorted(total.examples, key=lambda m: m.line)[:MAX_EXAMPLES]
    return total


def _start_method() -> str:
    methods = multiprocessing.get_all_start_methods()
    if sys.platform == "linux" and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"
