"""Route discovery: every framework family's discoverer over one scanned project.

Each module in `apiscope.analysis.discovery.frameworks` exposes `DISCOVERERS`, a tuple of
`Discoverer` instances; adding a framework means adding a module, nothing else.
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
    found: list[Discoverer] = []
    for module in sorted(m.name for m in pkgutil.iter_modules(frameworks.__path__)):
        found += importlib.import_module(f"{frameworks.__name__}.{module}").DISCOVERERS
    return tuple(found)


def discover(root: Path) -> Discovery:
    """Discover every route declared under `root`."""
    project = Project.scan(root)
    languages = {f.language for f in project.files}
    routes: set[Route] = set()
    by_framework: Counter[str] = Counter()
    for discoverer in all_discoverers():
        if languages.intersection(discoverer.languages):
            for route in discoverer.discover(project):
                routes.add(route)
                by_framework[route.framework] += 1
    ordered = tuple(sorted(routes, key=lambda r: (r.file, r.line, r.path, r.method)))
    stats = {
        "files_scanned": len(project.files),
        "files_skipped": dict(project.skipped),
        "routes": len(ordered),
        "by_framework": dict(sorted(by_framework.items())),
    }
    return Discovery(ordered, stats)
