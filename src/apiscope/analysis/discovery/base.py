"""The one small interface every framework family implements."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from apiscope.analysis.discovery.project import Project
from apiscope.analysis.routes import Route


class Discoverer(Protocol):
    """Finds one framework family's routes in a whole project (prefixes may span files)."""

    name: str
    """Short id, e.g. `express`."""
    languages: tuple[str, ...]
    """The languages whose files it reads; it is skipped when the project has none."""

    def discover(self, project: Project) -> Iterable[Route]:
        """Every route of this framework family in the project."""
        ...
