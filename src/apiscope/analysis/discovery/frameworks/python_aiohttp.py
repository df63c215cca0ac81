"""aiohttp: `web.get("/path", handler)` entries given to `app.add_routes([...])`,
`app.router.add_get/add_post/.../add_route(method, path, handler)/add_view`, `RouteTableDef`
decorators (`@routes.get`, `@routes.view` on a `web.View` class), and sub-applications mounted
with `app.add_subapp("/prefix", subapp)`, across files.

Method `*` is ANY; a `web.View` answers the methods it defines. Only files that import aiohttp
are read.
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
from apiscope.analysis.routes import ANY_METHOD, Route

_VERBS = {f"add_{m}": m for m in ast.HTTP_METHODS}
"""`router.add_get` and friends."""


class AiohttpDiscoverer:
    """Routes of aiohttp web applications."""

    name = "aiohttp"
    languages: tuple[str, ...] = ("python",)

    def discover(self, project: Project) -> Iterable[Route]:
        """Every aiohttp route, sub-application prefixes applied."""
        index = PythonIndex(project)
        files = [
            f
            for f in index.files.values()
            if ast.imports(f, "aiohttp") and not ast.is_test_file(f.path)
        ]
        graph = MountGraph()
        for file in files:
            _collect_mounts(index, file, graph)
        return [route for file in files for route in _routes(index, file, graph)]


def _app(index: PythonIndex, file: SourceFile, receiver: Node | None) -> Symbol | None:
    """The application a call is made on: `app.router.add_get` → `app`."""
    if (
        receiver is not None
        and receiver.type == "attribute"
        and ast.last_name(file, receiver) == "router"
    ):
        receiver = receiver.child_by_field_name("object")
    return router_symbol(index, file, receiver)


def _collect_mounts(index: PythonIndex, file: SourceFile, graph: MountGraph) -> None:
    for call in ast.descendants(file.root, "call"):
        receiver, name = ast.callee(file, call)
        if name not in ("add_routes", "add_subapp") or receiver is None:
            continue
        app = _app(index, file, receiver)
        if name == "add_routes":
            child = routes_symbol(index, file, ast.argument(call, 0, "routes"))
            prefix = ""
        else:
            child = router_symbol(index, file, ast.argument(call, 1, "subapp"))
            prefix = index.string(file, ast.argument(call, 0, "prefix")) or ""
        if app is not None and child is not None:
            graph.mount(app, child, prefix)


def _routes(index: PythonIndex, file: SourceFile, graph: MountGraph) -> Iterator[Route]:
    for call in ast.descendants(file.root, "call"):
        found = _declaration(index, file, call)
        if found is None:
            continue
        container, method_node, path_node, handler_node = found
        path = index.string(file, path_node)
        if path is None:
            continue
        for method, handler in _handlers(index, file, call, method_node, handler_node):
            for prefix in graph.prefixes(container):
                full = brace_params(ast.clean_path(join_paths(prefix, path)))
                yield Route(full, method, file.path, ast.line_of(call), handler, "aiohttp")


def _declaration(
    index: PythonIndex, file: SourceFile, call: Node
) -> tuple[Symbol, Node | str, Node | None, Node | None] | None:
    """Where a route call puts its route, its method (node or verb), path and handler."""
    receiver, name = ast.callee(file, call)
    if receiver is None:
        return None
    positional, _ = ast.arguments(call)
    is_decorator = call.parent is not None and call.parent.type == "decorator"
    shift = 1 if name in ("route", "add_route") else 0
    method: Node | str | None = positional[0] if shift and positional else name
    if name in _VERBS:
        method = _VERBS[name]
    handler = None if is_decorator else ast.argument(call, 1 + shift, "handler")
    path = ast.argument(call, shift, "path")
    if name in (*ast.HTTP_METHODS, "route", "view") and file.text(receiver).endswith("web"):
        return container_of(file, call), method or "", path, handler
    if is_decorator and name in (*ast.HTTP_METHODS, "route", "view"):
        table = router_symbol(index, file, receiver)
        return (table, method or "", path, call.parent) if table else None
    if name in (*_VERBS, "add_route", "add_view"):
        app = _app(index, file, receiver)
        return (app, "view" if name == "add_view" else method or "", path, handler) if app else None
    return None


def _handlers(
    index: PythonIndex, file: SourceFile, call: Node, method: Node | str, handler: Node | None
) -> list[tuple[str, str]]:
    target = (
        ast.decorated(handler) if handler is not None and handler.type == "decorator" else handler
    )
    verb = method if isinstance(method, str) else index.string(file, method) or ""
    if verb == "view":
        view = class_view(index, file, target)
        if view is None:
            return [(ANY_METHOD, ast.last_name(file, target) or "anonymous")]
        return [(m.upper(), f"{view.name}.{m}") for m in view.http_methods()]
    if target is not None and target.type in ("function_definition", "class_definition"):
        name = ast.definition_name(file, target)
    else:
        name = ast.last_name(file, target) or "anonymous"
    return [(ANY_METHOD if verb == "*" else verb.upper(), name)]


DISCOVERERS: tuple[Discoverer, ...] = (AiohttpDiscoverer(),)
