"""The server's memory and resources over time, read from /proc (Linux): what a leak would show
first is resident memory, open file descriptors and threads that only ever go up."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ProcessSample:
    """One reading: seconds since the run started, resident memory, threads, open descriptors,
    and the store's size on disk (a SQLite file with its WAL; 0 for a database server)."""

    at: float
    rss_mb: float
    threads: int
    open_fds: int
    store_mb: float


def read_process(pid: int) -> tuple[float, int, int]:
    """Resident memory (MB), threads and open file descriptors of a running process."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    rss_kb = int(fields["VmRSS"].split()[0])
    return rss_kb * 1024 / MB, int(fields["Threads"]), len(os.listdir(f"/proc/{pid}/fd"))


def files_mb(paths: Iterable[Path]) -> float:
    """The total size of the files that exist among `paths`, in MB."""
    return sum(path.stat().st_size for path in paths if path.exists()) / MB


async def sample_until(
    pids: dict[str, int],
    store_files: list[Path],
    *,
    started: float,
    interval: float,
    stop: asyncio.Event,
) -> dict[str, list[ProcessSample]]:
    """Read each named process every `interval` seconds until `stop` is set; the readings by
    process name."""
    samples: dict[str, list[ProcessSample]] = {name: [] for name in pids}
    while not stop.is_set():
        at = round(time.perf_counter() - started, 2)
        store_mb = files_mb(store_files)
        for name, pid in pids.items():
            rss, threads, fds = read_process(pid)
            samples[name].append(ProcessSample(at, round(rss, 1), threads, fds, store_mb))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval)
    return samples
