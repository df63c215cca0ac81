"""The engine behind the actix-web and axum discoverers: evaluate every function once, then emit
the routes of each unit nothing consumed. (`DISCOVERERS` is empty: the frameworks' modules build
on this one; the syntax side is in `rust_ast`.)"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from tree_sitter import Node

from apiscope.analysis.discovery.paths import join_route
from apiscope.analysis.discovery.project import Project, SourceFile
from apiscope.analysis.discovery.rust_ast import (
    RustDialect,
    Unit,
    functions,
    is_test_path,
)
from apiscope.analysis.discovery.rust_walk import RustWalk
from apiscope.analysis.routes import Route


class RustEngine:
    """Evaluates every function of the framework's files once, then emits unconsumed units."""

    def __init__(self, dialect: RustDialect, project: Project) -> None:
        self.dialect = dialect
        self.files = [
            f for f in project.of("rust") if dialect.marker in f.source and not is_test_path(f.path)
        ]
        self.units: list[Unit] = []
        self.named: dict[str, Unit] = {}
        self.functions: dict[str, list[tuple[SourceFile, Node]]] = {}
        self._results: dict[tuple[str, int], tuple[Unit | None, list[Unit]]] = {}
        for file in self.files:
            for name, unit in dialect.declarations(file):
                self.named[name] = self.unit(unit)
            for node in functions(file, file.root):
                name_node = node.child_by_field_name("name")
                key = file.text(name_node) if name_node else ""
                self.functions.setdefault(key, []).append((file, node))

    def unit(self, unit: Unit) -> Unit:
        """Register a unit so it is emitted unless something consumes it."""
        self.units.append(unit)
        return unit

    def routes(self) -> Iterator[Route]:
        """Every route of every root unit."""
        for candidates in self.functions.values():
            for file, node in candidates:
                self.evaluate(file, node)
        for unit in self.units:
            if not unit.consumed and unit.kind != "method":
                for r in unit.routes:
                    path = self.dialect.normalize(join_route(unit.prefix, r.path))
                    yield Route(path, r.method, r.file, r.line, r.handler, self.dialect.framework)

    def evaluate(self, file: SourceFile, node: Node) -> tuple[Unit | None, list[Unit]]:
        """A function's returned unit and its parameter units, evaluating it the first time."""
        key = file.path, node.start_byte
        if key not in self._results:
            self._results[key] = (None, [])
            walk = RustWalk(self, file, {})
            params = walk.bind_parameters(node.child_by_field_name("parameters"))
            body = node.child_by_field_name("body")
            value = walk.eval(body) if body is not None else None
            returned = next((u for u in (value, *walk.returns) if u is not None), None)
            self._results[key] = (returned, params)
        return self._results[key]

    def resolve(self, file: SourceFile, path: str) -> list[tuple[SourceFile, Node]]:
        """The functions a path (`users::routes`, `config`) may name."""
        *qualifiers, name = path.split("::")
        candidates = self.functions.get(name, [])
        module = next(
            (q for q in reversed(qualifiers) if q not in ("crate", "self", "super", "Self")), ""
        )
        if len(candidates) > 1 and module:
            candidates = [c for c in candidates if module in re.split(r"[/.]", c[0].path)]
        if len(candidates) > 1 and not module:
            candidates = [c for c in candidates if c[0].path == file.path]
        return candidates if len(candidates) == 1 else []


class RustDiscoverer:
    """One Rust framework's routes, found by the shared engine with the framework's dialect."""

    languages: tuple[str, ...] = ("rust",)

    def __init__(self, dialect: RustDialect) -> None:
        self.dialect = dialect
        self.name = dialect.framework

    def discover(self, project: Project) -> Iterable[Route]:
        """Every route the framework's builders declare in the project's non-test sources."""
        return list(RustEngine(self.dialect, project).routes())
