"""The Go router engine that the gin, echo, chi, gorilla/mux and net/http discoverers share.

A router is a node of a graph; a group, a sub-router, a mount, or a router handed to a function
parameter is an edge (parent, prefix). Each function body is walked once with its router-typed
parameters bound to nodes of their own, so `RegisterRoutes(g *gin.RouterGroup)` called with `v1`
from one file and `admin` from another yields its routes under both prefixes. Only calls on
values known to be routers count, which keeps `client.Get(url)` and `http.Get(url)` out.
Each framework's module builds a `GoRouterDiscoverer` from its `Dialect`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from tree_sitter import Node

from apiscope.analysis.discovery.go_ast import (
    GoFunction,
    GoPackages,
    functions,
    imports,
    package_dir,
    type_name,
)
from apiscope.analysis.discovery.go_dialect import FOREIGN, ROUTER_PACKAGES, Dialect, Ref
from apiscope.analysis.discovery.go_graph import Declared, RouterGraph
from apiscope.analysis.discovery.go_walk import GoWalk
from apiscope.analysis.discovery.paths import join_route
from apiscope.analysis.discovery.project import Project, SourceFile
from apiscope.analysis.routes import Route

_VERSION = re.compile(r"[/.]v\d+$")
"""`.../echo/v4` and gopkg.in's `gopkg.in/gin-gonic/gin.v1` name the same framework."""


class GoEngine:
    """The project-wide state of one framework's walk: functions, variables, the graph."""

    def __init__(self, dialect: Dialect, files: list[SourceFile], every: list[SourceFile]) -> None:
        """Walk `files` (the packages using the framework); constants come from `every` file."""
        self.dialect = dialect
        self.packages = GoPackages(every)
        self.graph = RouterGraph()
        self._imports: dict[str, dict[str, str]] = {}
        self._functions = [f for file in files for f in functions(file)]
        self._by_name: dict[str, list[GoFunction]] = {}
        for function in self._functions:
            self._by_name.setdefault(function.name, []).append(function)
        self._walked: dict[tuple[str, int], object] = {}
        self._fields = {n for file in files for n in self._router_fields(file)}
        self._globals = {(package_dir(f), n): t for f in files for n, t in self._router_globals(f)}

    def run(self) -> Iterator[Route]:
        """Walk every function once and every package-level router variable, then expand."""
        for (folder, name), initial in sorted(self._globals.items(), key=lambda kv: kv[0]):
            if initial is not None:
                file, value = initial
                self.mount(Ref(("global", folder, name)), GoWalk(self, file).eval(value))
        for function in self._functions:
            self.returned(function)
        for declared in self.graph.declared:
            for prefix in sorted(self.graph.prefixes(declared.node)):
                path = self.dialect.normalize(join_route(prefix, declared.path))
                yield Route(
                    path,
                    declared.method,
                    declared.file,
                    declared.line,
                    declared.handler,
                    self.dialect.framework,
                )

    # What a walk asks of the engine.

    def string(self, file: SourceFile, node: Node) -> str | None:
        return self.packages.string(file, node)

    def imports(self, file: SourceFile) -> dict[str, str]:
        if file.path not in self._imports:
            self._imports[file.path] = imports(file)
        return self._imports[file.path]

    def owns(self, import_path: str) -> bool:
        base = _VERSION.sub("", import_path)
        return base in self.dialect.packages

    def is_router_type(self, file: SourceFile, node: Node | None) -> bool:
        package, name = type_name(file, node)
        return (
            bool(package)
            and name in self.dialect.router_types
            and self.owns(self.imports(file).get(package, ""))
        )

    def is_foreign(self, import_path: str) -> bool:
        return not self.owns(import_path) and _VERSION.sub("", import_path) in ROUTER_PACKAGES

    def is_foreign_type(self, file: SourceFile, node: Node | None) -> bool:
        package, _ = type_name(file, node)
        return bool(package) and self.is_foreign(self.imports(file).get(package, ""))

    def variable(self, file: SourceFile, name: str) -> Ref | None:
        key = (package_dir(file), name)
        return Ref(("global", *key)) if key in self._globals else None

    def field(self, name: str) -> Ref | None:
        return Ref(("field", name)) if name in self._fields else None

    def param_ref(self, function: GoFunction, index: int) -> Ref:
        return Ref(("param", function.file.path, function.node.start_byte, index))

    def mount(self, child: object, parent: object, prefix: str = "") -> None:
        if isinstance(child, Ref) and isinstance(parent, Ref):
            self.graph.mount(child, parent, prefix)

    def add_route(
        self, ref: Ref, method: str, path: str, file: SourceFile, line: int, handler: str
    ) -> None:
        full = join_route(ref.prefix, path)
        self.graph.declared.append(Declared(ref.node, method, full, file.path, line, handler))

    def returned(self, function: GoFunction) -> object:
        """Walk a function (once) and give the router it returns, if any."""
        key = function.file.path, function.node.start_byte
        if key not in self._walked:
            self._walked[key] = None  # a recursive call sees no router rather than looping
            walk = GoWalk(self, function.file)
            walk.function(function)
            routers = (r for r in walk.returns if isinstance(r, Ref) or r is FOREIGN)
            self._walked[key] = next(routers, None)
        return self._walked[key]

    def resolve(self, walk: GoWalk, function: Node) -> list[GoFunction]:
        """The project functions a call's callee may be: by package, receiver type or name."""
        candidates = self._by_name.get(_callee_name(walk.file, function), [])
        if function.type == "identifier":
            return [
                c
                for c in candidates
                if not c.receiver and package_dir(c.file) == package_dir(walk.file)
            ]
        operand = function.child_by_field_name("operand")
        if function.type != "selector_expression" or operand is None:
            return []
        package = walk.package_of(operand)
        if package is not None:
            folder = self.packages.dir_of_import(package)
            return [c for c in candidates if not c.receiver and package_dir(c.file) == folder]
        methods = [c for c in candidates if c.receiver]
        receiver = walk.type_of_operand(operand)
        if receiver:
            return [m for m in methods if m.receiver == receiver]
        return methods if len(methods) == 1 else []

    def result_type(self, walk: GoWalk, function: Node) -> str:
        callees = self.resolve(walk, function)
        results = callees[0].results if len(callees) == 1 else ()
        return type_name(callees[0].file, results[0])[1] if results else ""

    # Pre-passes.

    def _router_fields(self, file: SourceFile) -> Iterator[str]:
        """Struct fields declared with a router type (`router *mux.Router`)."""
        for declaration in _descendants(file.root, "field_declaration"):
            if self.is_router_type(file, declaration.child_by_field_name("type")):
                yield from (file.text(n) for n in declaration.children_by_field_name("name"))

    def _router_globals(
        self, file: SourceFile
    ) -> Iterator[tuple[str, tuple[SourceFile, Node] | None]]:
        """Package-level variables that are, or are set to, routers."""
        for declaration in (d for d in file.root.named_children if d.type == "var_declaration"):
            for spec in _descendants(declaration, "var_spec"):
                values = spec.child_by_field_name("value")
                names = [n for n in spec.children_by_field_name("name") if n.is_named]
                typed = self.is_router_type(file, spec.child_by_field_name("type"))
                for index, name in enumerate(names):
                    value = (
                        values.named_children[index]
                        if values and index < values.named_child_count
                        else None
                    )
                    if typed or (value is not None and self._constructs(file, value)):
                        yield file.text(name), ((file, value) if value is not None else None)

    def _constructs(self, file: SourceFile, value: Node) -> bool:
        function = (
            value.child_by_field_name("function") if value.type == "call_expression" else None
        )
        operand = function.child_by_field_name("operand") if function is not None else None
        return operand is not None and self.owns(self.imports(file).get(file.text(operand), ""))


def _callee_name(file: SourceFile, function: Node) -> str:
    name = (
        function.child_by_field_name("field")
        if function.type == "selector_expression"
        else function
    )
    return file.text(name) if name is not None else ""


def _descendants(node: Node, kind: str) -> Iterator[Node]:
    for inner in node.named_children:
        if inner.type == kind:
            yield inner
        yield from _descendants(inner, kind)


@dataclass
class GoRouterDiscoverer:
    """One Go framework's routes, found by the shared engine with the framework's dialect."""

    dialect: Dialect
    name: str = ""
    languages: tuple[str, ...] = ("go",)

    def __post_init__(self) -> None:
        self.name = self.name or self.dialect.framework

    def discover(self, project: Project) -> Iterable[Route]:
        """Every route the framework's routers declare in the project's non-test Go files."""
        files = [f for f in project.of("go") if not f.path.endswith("_test.go")]
        using = {package_dir(f) for f in files if self._imports_framework(f)}
        using_files = [f for f in files if package_dir(f) in using]
        return list(GoEngine(self.dialect, using_files, files).run())

    def _imports_framework(self, file: SourceFile) -> bool:
        if not any(p.encode() in file.source for p in self.dialect.packages):
            return False
        return any(_VERSION.sub("", p) in self.dialect.packages for p in imports(file).values())
