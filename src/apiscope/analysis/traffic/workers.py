"""The plumbing between the parent and its parser processes: queues that never wait forever.

A worker that dies (killed, out of memory) never answers; waiting on a queue for it would hang
the caller. So every wait here is in short slices, checking between them that the workers
still live, and a dead one ends the run with a one-line `ApiscopeError`.
"""

from __future__ import annotations

import queue
from multiprocessing.process import BaseProcess
from typing import Any

from apiscope.errors import ApiscopeError

POLL = 0.5
"""Seconds between liveness checks while waiting on a queue."""
READY = "ready"
"""The first message of every worker: it started and imported what it needs."""


def put(tasks: Any, item: object, processes: list[BaseProcess]) -> None:
    """Queue one item, waiting while the workers are busy; fail if one died."""
    while True:
        try:
            tasks.put(item, timeout=POLL)
            return
        except queue.Full:
            check_alive(processes)


def next_message(results: Any, processes: list[BaseProcess], timeout: float | None) -> Any:
    """The next message from the workers; fail if one died or `timeout` seconds pass."""
    waited = 0.0
    while timeout is None or waited < timeout:
        try:
            return results.get(timeout=POLL)
        except queue.Empty:
            waited += POLL
            check_alive(processes)
    raise ApiscopeError(f"parser processes did not start within {timeout:g} s")


def check_alive(processes: list[BaseProcess]) -> None:
    """Raise if any worker ended with an error exit code."""
    dead = [p.exitcode for p in processes if p.exitcode not in (None, 0)]
    if dead:
        raise ApiscopeError(f"a log parser process died (exit code {dead[0]})")


def stop(processes: list[BaseProcess]) -> None:
    """Let finished workers exit; end any still running (after a failure or an interrupt)."""
    for process in processes:
        if process.pid is None:
            continue
        process.join(timeout=POLL)
        if process.is_alive():
            process.terminate()
            process.join()
