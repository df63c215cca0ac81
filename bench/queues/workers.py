"""Worker processes of the system under test: started from their own command line, as a user
runs them, with their output in log files; stopped gracefully, then killed; and their CPU time
read from /proc, so a trial can say what each job cost the workers."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.queues.backends import REPO_ROOT

STARTUP_SECONDS = 60.0
STOP_SECONDS = 15.0
_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True, slots=True)
class WorkerSpec:
    """One worker process to start: its command line and the environment it adds."""

    argv: list[str]
    env: dict[str, str]


def cancel_on_sigterm() -> None:
    """Make SIGTERM cancel the running benchmark, so its clean-up (stopping processes,
    dropping the database) runs as it does on Ctrl-C. Call from the main task."""
    task = asyncio.current_task()
    if task is not None:
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)


def cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds of a running process (all its threads); 0 if it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    fields = stat.rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime (fields 14 and 15)


def rss_mib(pid: int) -> float:
    """A running process's resident memory in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def total_cpu(pids: Iterable[int]) -> float:
    """CPU seconds of several processes together."""
    return sum(cpu_seconds(pid) for pid in pids)


class WorkerGroup:
    """Worker processes started together; `ready` is the system's own readiness probe."""

    def __init__(self, procs: list[subprocess.Popen[bytes]], logs: list[Path]) -> None:
        self.procs = procs
        self.logs = logs

    @property
    def pids(self) -> list[int]:
        """The workers' process ids."""
        return [p.pid for p in self.procs]

    def logs_matching(self, text: str) -> int:
        """How many workers have written `text` to their output so far."""
        return sum(text in log.read_text(errors="replace") for log in self.logs)

    def check_alive(self) -> None:
        """Fail with the log of a worker that exited."""
        for proc, log in zip(self.procs, self.logs, strict=True):
            if proc.poll() is not None:
                raise RuntimeError(f"{proc.args!r} exited ({proc.returncode}):\n{tail(log)}")

    async def wait_ready(self, ready: Callable[[WorkerGroup], Awaitable[bool]]) -> None:
        """Poll the readiness probe until it answers yes, a bounded wait."""
        deadline = time.monotonic() + STARTUP_SECONDS
        while not await ready(self):
            self.check_alive()
            if time.monotonic() > deadline:
                raise TimeoutError(f"workers not ready after {STARTUP_SECONDS:g} s")
            await asyncio.sleep(0.1)

    async def stop(self) -> None:
        """SIGTERM (each system's graceful shutdown), then SIGKILL after a bound."""
        await asyncio.to_thread(stop_processes, self.procs)


def stop_processes(procs: list[subprocess.Popen[bytes]]) -> None:
    """Terminate processes gracefully, together; kill those still running after a bound."""
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    for proc in procs:
        try:
            proc.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def spawn(
    argv: list[str], env: dict[str, str], log: Path, **options: Any
) -> subprocess.Popen[bytes]:
    """Start a process in the repository root, with `env` added and its output in `log`."""
    with log.open("wb") as out:
        return subprocess.Popen(
            argv, cwd=REPO_ROOT, env={**os.environ, **env}, stdout=out, stderr=out, **options
        )


def tail(log: Path) -> str:
    """The end of a process's log, for an error message."""
    return log.read_text(errors="replace")[-3000:]


@contextlib.asynccontextmanager
async def started(specs: list[WorkerSpec]) -> AsyncIterator[WorkerGroup]:
    """Start the workers with their output in a temporary directory; always stop them."""
    with tempfile.TemporaryDirectory(prefix="bench-queues-") as tmp:
        procs: list[subprocess.Popen[bytes]] = []
        logs: list[Path] = []
        group = WorkerGroup(procs, logs)
        try:
            for index, spec in enumerate(specs):
                logs.append(Path(tmp) / f"worker-{index}.log")
                procs.append(spawn(spec.argv, spec.env, logs[-1]))
            yield group
        finally:
            await group.stop()
