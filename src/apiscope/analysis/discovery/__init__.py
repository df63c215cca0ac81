"""Route discovery: every framework family's discoverer over one scanned project.

Each module in `apiscope.analysis.discovery.frameworks` exposes `DISCOVERERS`, a tuple of
`Discoverer` instances; adding a framework means adding a module, nothing else. A large project
is discovered in several processes (`parallel.py`); the routes are the same either way.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from apiscope.analysis.discovery import frameworks
from apiscope.analysis.discovery.base import Discoverer
from apiscope.analysis.discovery.parallel import DiscovererRef, Outcome, run_discoverers
from apiscope.analysis.discovery.project import Project
from apiscope.analysis.routes import Route


@dataclass(frozen=True)
class Discovery:
    """The routes found, in a deterministic order, with what was counted on the way."""

    routes: tuple[Route, ...]
    stats: dict[str, object] = field(default_factory=dict)


@cache
def all_discoverers() -> tuple[Discoverer, ...]:
    """Every discoverer shipped, in module order."""
    return tuple(ref.load() for ref in discoverer_refs())


@cache
def discoverer_refs() -> tuple[DiscovererRef, ...]:
    """Where each discoverer lives, in the same order as `all_discoverers()`."""
    refs: list[DiscovererRef] = []
    for name in sorted(m.name for m in pkgutil.iter_modules(frameworks.__path__)):
        module = importlib.import_module(f"{frameworks.__name__}.{name}")
        # Shared syntax helpers live beside the discoverers and declare none.
        found = getattr(module, "DISCOVERERS", ())
        refs += (DiscovererRef(module.__name__, i) for i in range(len(found)))
    return tuple(refs)


def discover(root: Path, *, workers: int | None = None) -> Discovery:
    """Discover every route declared under `root`, in `workers` processes (None: by size)."""
    project = Project.scan(root)
    languages = {f.language for f in project.files}
    refs = [ref for ref in discoverer_refs() if languages & set(ref.load().languages)]
    outcomes, count = run_discoverers(project, refs, workers)
    routes = {route for outcome in outcomes for route in outcome.routes}
    ordered = tuple(sorted(routes, key=lambda r: (r.file, r.line, r.path, r.method)))
    return Discovery(ordered, _stats(project, ordered, outcomes, count))


def _stats(
    project: Project, routes: tuple[Route, ...], outcomes: list[Outcome], workers: int
) -> dict[str, object]:
    stats: dict[str, object] = {
        "files_scanned": len(project.files),
        "files_skipped": dict(sorted(project.skipped.items())),
        "source_lines": project.lines,
        "routes": len(routes),
        "by_framework": dict(sorted(Counter(r.framework for r in routes).items())),
        "workers": workers,
    }
    if errors := {o.name: o.error for o in outcomes if o.error is not None}:
        stats["errors"] = dict(sorted(errors.items()))
    return stats
