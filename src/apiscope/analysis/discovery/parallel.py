"""Running the discoverers: in this process, or in worker processes so a large repository uses
every core.

The unit of work is a discoverer over the whole project, never a slice of files: a discoverer
resolves prefixes and mounts across files, so it must see them all. Each worker scans the project
once when it starts. A task is the discoverers of one language set (FastAPI, Flask and Django
together), so each language is parsed once, by one worker (tree-sitter trees do not pickle);
only a language set holding more than a worker's share of the source is split into its
discoverers, so a one-language repository still uses every core. Tasks go out heaviest first,
and before each discoverer the trees of other languages are freed: a million lines of syntax
trees take gigabytes, one language's share a fraction of that. Results are merged and sorted by
the caller, so the output is the same whatever the number of processes.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from apiscope.analysis.discovery.base import Discoverer
from apiscope.analysis.discovery.project import Project
from apiscope.analysis.routes import Route

PARALLEL_MIN_BYTES = 2 * 1024 * 1024
"""Below this much source, starting worker processes costs more than it saves."""
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DiscovererRef:
    """Where a discoverer is defined, so a worker process can import that one module."""

    module: str
    position: int
    """Its index in the module's `DISCOVERERS`."""

    def load(self) -> Discoverer:
        """The discoverer itself (importing its module if this process has not yet)."""
        found: Discoverer = importlib.import_module(self.module).DISCOVERERS[self.position]
        return found


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one discoverer found, or why it found nothing."""

    name: str
    routes: tuple[Route, ...]
    error: str | None = None


def run_discoverers(
    project: Project, refs: Sequence[DiscovererRef], workers: int | None = None
) -> tuple[list[Outcome], int]:
    """Every discoverer's outcome, and how many processes ran them (None: decided by size)."""
    count = worker_count(project, workers, len(refs))
    ordered = sorted(refs, key=lambda ref: _weight(project, ref.load()), reverse=True)
    if count > 1:
        return run_in_processes(project, plan_tasks(project, ordered, count), count), count
    return [run_here(project, ref) for ref in ordered], 1


def plan_tasks(
    project: Project, ordered: Sequence[DiscovererRef], workers: int
) -> list[tuple[DiscovererRef, ...]]:
    """One task per language set, in the given order, but a set with more than a worker's
    share of the source is split into one task per discoverer."""
    groups: dict[frozenset[str], list[DiscovererRef]] = {}
    for ref in ordered:
        groups.setdefault(frozenset(ref.load().languages), []).append(ref)
    total = sum(len(f.source) for f in project.files)
    tasks: list[tuple[DiscovererRef, ...]] = []
    for languages, members in groups.items():
        size = sum(len(f.source) for f in project.of(*languages))
        if size * workers > total:
            tasks += [(ref,) for ref in members]
        else:
            tasks.append(tuple(members))
    return tasks


def run_here(project: Project, ref: DiscovererRef) -> Outcome:
    """One discoverer in this process, holding only its own languages' trees."""
    discoverer = ref.load()
    project.keep_trees(discoverer.languages)
    return run_one(project, discoverer)


def run_one(project: Project, discoverer: Discoverer) -> Outcome:
    """Run a discoverer; a bug in one, on input it did not expect, costs only its own routes."""
    try:
        return Outcome(discoverer.name, tuple(discoverer.discover(project)))
    except Exception as exc:  # a discoverer crash must not lose every other framework's routes
        log.warning("discoverer %s failed: %r", discoverer.name, exc, exc_info=True)
        return Outcome(discoverer.name, (), f"{type(exc).__name__}: {exc}")


def worker_count(project: Project, requested: int | None, tasks: int) -> int:
    """How many processes: as asked, else one per core for a large project, never above tasks
    (and one inside a daemonic process, which may not start any: a `multiprocessing.Pool`)."""
    if multiprocessing.current_process().daemon:
        return 1
    if requested is None:
        large = sum(len(f.source) for f in project.files) >= PARALLEL_MIN_BYTES
        requested = available_cpus() if large else 1
    return max(1, min(requested, tasks))


def available_cpus() -> int:
    """The cores this process may run on (a container's limit, not the host's count)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def run_in_processes(
    project: Project, tasks: Sequence[tuple[DiscovererRef, ...]], workers: int
) -> list[Outcome]:
    """The tasks in a pool of `workers` processes, handed out in order.

    If processes cannot be started (no /dev/shm on AWS Lambda) or a worker dies, the work is
    done here instead: slower, never lost.
    """
    try:
        context = multiprocessing.get_context("forkserver")
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=_open, initargs=(project.root,)
        ) as pool:
            return [outcome for done in pool.map(_run_in_worker, tasks) for outcome in done]
    except (OSError, BrokenProcessPool) as exc:
        log.warning("discovery workers unavailable (%s); discovering in this process", exc)
        return [run_here(project, ref) for task in tasks for ref in task]


def _weight(project: Project, discoverer: Discoverer) -> tuple[int, tuple[str, ...]]:
    """Bytes of source a discoverer reads (a rough guess at its cost), then its languages, so
    discoverers of the same languages sit next to each other and share trees."""
    size = sum(len(f.source) for f in project.of(*discoverer.languages))
    return size, tuple(sorted(discoverer.languages))


_worker_project: Project | None = None
"""The project a worker process serves: set once by the pool's initializer, per pool."""


def _open(root: Path) -> None:
    global _worker_project
    _worker_project = Project.scan(root)


def _run_in_worker(task: tuple[DiscovererRef, ...]) -> list[Outcome]:
    assert _worker_project is not None, "the pool initializer scans the project first"
    return [run_here(_worker_project, ref) for ref in task]
