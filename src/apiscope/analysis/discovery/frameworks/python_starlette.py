"""Starlette: `Route("/path", endpoint, methods=[...])` entries in route lists, nested with
`Mount("/prefix", routes=[...])` or `Mount("/prefix", app=Router(...))` across files, plus
`app.add_route(...)` and the older `@app.route(...)` decorator.

A function endpoint without `methods` answers GET; an `HTTPEndpoint` class answers the
methods it defines (handler `UserEndpoint.get`). Only files that import starlette are read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from tree_sitter import Node

from apiscope.analysis.discovery import python_ast as ast
from apiscope.analysis.discovery.base import Discoverer
from apiscope.analysis.discovery.frameworks.python_mounts import (
    MountGraph,
    container_of,
    router_symbol,
    routes_symbol,
)
from apiscope.analysis.discovery.frameworks.python_symbols import PythonIndex, Symbol
from apiscope.analysis.discovery.frameworks.python_views import class_view
from apiscope.analysis.discovery.paths import brace_params, join_paths
from apiscope.analysis.discovery.project import Project, SourceFile
from apiscope.analysis.routes import Route

_APPS = frozenset({"Starlette", "Router"})


class StarletteDiscoverer:
    """Routes of Starlette applications."""

    name = "starlette"
    languages: tuple[str, ...] = ("python",)

    def discover(self, project: Project) -> Iterable[Route]:
        """Every Starlette route, mount prefixes applied."""
        index = PythonIndex(project)
        files = [
            f
            for f in index.files.values()
            if ast.imports(f, "starlette") and not ast.is_test_file(f.path)
        ]
        graph = MountGraph()
        for file in files:
            _collect_mounts(index, file, graph)
        return [route for file in files for route in _routes(index, file, graph)]


def _collect_mounts(index: PythonIndex, file: SourceFile, graph: MountGraph) -> None:
    for call in ast.descendants(file.root, "call"):
        receiver, name = ast.callee(file, call)
        if name == "Mount" and _from_routing(file, receiver):
            _mount(
                index, file, call, container_of(file, call), ast.argument(call, 0, "path"), graph
            )
        elif name == "mount" and receiver is not None:
            parent = router_symbol(index, file, receiver)
            if parent is not None:
                _mount(index, file, call, parent, ast.argument(call, 0, "path"), graph)
        elif name in _APPS and call.parent is not None and call.parent.type == "assignment":
            child = routes_symbol(index, file, ast.argument(call, 0, "routes"))
            owner = call.parent.child_by_field_name("left")
            if child is not None and owner is not None and owner.type == "identifier":
                graph.mount(Symbol(file.path, file.text(owner)), child, "")


def _from_routing(file: SourceFile, receiver: Node | None) -> bool:
    """`Route(...)` or `routing.Route(...)`, not some object's `.Route` method."""
    return receiver is None or file.text(receiver).endswith("routing")


def _mount(
    index: PythonIndex,
    file: SourceFile,
    call: Node,
    parent: Symbol,
    path: Node | None,
    graph: MountGraph,
) -> None:
    prefix = index.string(file, path) or ""
    inner = ast.argument(call, None, "routes")
    app = ast.argument(call, 1, "app")
    if inner is None and app is not None and app.type == "call":
        inner = ast.argument(app, 0, "routes")
    child = routes_symbol(index, file, inner if inner is not None else app)
    if child is not None:
        graph.mount(parent, child, prefix)


def _routes(index: PythonIndex, file: SourceFile, graph: MountGraph) -> Iterator[Route]:
    for call in ast.descendants(file.root, "call"):
        receiver, name = ast.callee(file, call)
        if name == "Route" and _from_routing(file, receiver):
            container: Symbol | None = container_of(file, call)
        elif name in ("add_route", "route") and receiver is not None:
            container = router_symbol(index, file, receiver)
            if name == "route" and (call.parent is None or call.parent.type != "decorator"):
                continue
        else:
            continue
        path = index.string(file, ast.argument(call, 0, "path"))
        if path is None or container is None:
            continue
        for method, handler in _endpoint(index, file, call, name):
            for prefix in graph.prefixes(container):
                full = brace_params(ast.clean_path(join_paths(prefix, path)))
                yield Route(full, method, file.path, ast.line_of(call), handler, "starlette")


def _endpoint(index: PythonIndex, file: SourceFile, call: Node, name: str) -> list[tuple[str, str]]:
    listed = ast.strings(file, ast.argument(call, None, "methods"), index.string_resolver(file))
    methods = list(dict.fromkeys(m.upper() for m in listed))
    if name == "route":
        handler = ast.definition_name(file, ast.decorated(call.parent)) if call.parent else ""
        return [(m, handler) for m in methods or ["GET"]]
    endpoint = ast.argument(call, 1, "endpoint")
    view = class_view(index, file, endpoint)
    if view is not None and view.http_methods():
        defined = [m.upper() for m in view.http_methods()]
        return [(m, f"{view.name}.{m.lower()}") for m in methods or defined]
    handler = ast.last_name(file, endpoint) or "anonymous"
    return [(m, handler) for m in methods or ["GET"]]


DISCOVERERS: tuple[Discoverer, ...] = (StarletteDiscoverer(),)
