"""FastAPI: `@app.get`/`@router.post`/`@router.api_route(methods=[...])` and `add_api_route`,
with `APIRouter(prefix=...)` and `include_router(..., prefix=...)` chains resolved across files
and imports, and sub-applications under `app.mount("/v2", other_app)`.

A decorator's receiver must be a known `FastAPI`/`APIRouter` object, or the file must import
fastapi and the path start with `/` (an app handed in as a parameter); `requests.get(...)` and
test clients never qualify, and test files are not read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from tree_sitter import Node

from apiscope.analysis.discovery import python_ast as ast
from apiscope.analysis.discovery.base import Discoverer
from apiscope.analysis.discovery.frameworks.python_mounts import (
    MountGraph,
    bound,
    classify_receiver,
    constructed,
    iterations,
    router_symbol,
)
from apiscope.analysis.discovery.frameworks.python_symbols import PythonIndex, Symbol
from apiscope.analysis.discovery.paths import brace_params, join_paths
from apiscope.analysis.discovery.project import Project, SourceFile
from apiscope.analysis.routes import Route

_CONSTRUCTORS = frozenset({"FastAPI", "APIRouter"})
_ROUTE_METHODS = frozenset({*ast.HTTP_METHODS, "api_route", "route"})


@dataclass(frozen=True)
class _Declaration:
    """One route as written, before prefixes: on which router, where, what."""

    router: Symbol | None
    path: str
    methods: tuple[str, ...]
    file: str
    line: int
    handler: str


class FastAPIDiscoverer:
    """Routes of FastAPI applications."""

    name = "fastapi"
    languages: tuple[str, ...] = ("python",)

    def discover(self, project: Project) -> Iterable[Route]:
        """Every FastAPI route, prefixes of all enclosing routers applied."""
        index = PythonIndex(project)
        files = [f for f in index.files.values() if not ast.is_test_file(f.path)]
        graph = MountGraph()
        for file in files:
            if ast.imports(file, "fastapi"):
                _collect_routers(index, file, graph)
        if not graph.own:
            return []
        names = {symbol.name.encode() + b"." for symbol in graph.own}
        candidates = [f for f in files if any(name in f.source for name in names)]
        for file in candidates:
            _collect_mounts(index, file, graph)
        routes: list[Route] = []
        for file in candidates:
            for declaration in _declarations(index, file, graph):
                routes.extend(_expand(declaration, graph))
        return routes


def _collect_routers(index: PythonIndex, file: SourceFile, graph: MountGraph) -> None:
    for variable, call, _ in constructed(file, _CONSTRUCTORS):
        prefix = index.string(file, ast.argument(call, None, "prefix")) or ""
        graph.add_router(Symbol(file.path, variable), ast.clean_path(prefix))


def _collect_mounts(index: PythonIndex, file: SourceFile, graph: MountGraph) -> None:
    for call in ast.descendants(file.root, "call"):
        receiver, method = ast.callee(file, call)
        if method not in ("include_router", "mount"):
            continue
        parent = router_symbol(index, file, receiver)
        if method == "include_router":
            child_node, prefix_node = (
                ast.argument(call, 0, "router"),
                ast.argument(call, None, "prefix"),
            )
        else:
            child_node, prefix_node = ast.argument(call, 1, "app"), ast.argument(call, 0, "path")
        for env in iterations(index, file, call):
            child = router_symbol(index, file, bound(file, child_node, env))
            prefix_value = bound(file, prefix_node, env)
            prefix = index.string(file, prefix_value) if prefix_value is not None else ""
            if parent is not None and child is not None and child in graph.own:
                graph.mount(parent, child, ast.clean_path(prefix or ""))


def _declarations(
    index: PythonIndex, file: SourceFile, graph: MountGraph
) -> Iterator[_Declaration]:
    imports_fastapi = ast.imports(file, "fastapi")
    for call in ast.descendants(file.root, "call"):
        receiver, method = ast.callee(file, call)
        if receiver is None or method not in (*_ROUTE_METHODS, "add_api_route"):
            continue
        owner = classify_receiver(index, file, receiver, graph)
        if owner.foreign or (owner.router is None and not imports_fastapi):
            continue
        declaration = _declaration(index, file, call, method, owner.router)
        if declaration is not None and (owner.router or declaration.path.startswith("/")):
            yield declaration


def _declaration(
    index: PythonIndex, file: SourceFile, call: Node, method: str, router: Symbol | None
) -> _Declaration | None:
    path = index.string(file, ast.argument(call, 0, "path"))
    if path is None:
        return None
    if method == "add_api_route":
        handler = ast.last_name(file, ast.argument(call, 1, "endpoint")) or "anonymous"
    elif call.parent is not None and call.parent.type == "decorator":
        handler = ast.definition_name(file, ast.decorated(call.parent))
    else:
        return None
    if method in ast.HTTP_METHODS:
        methods: tuple[str, ...] = (method.upper(),)
    else:
        listed = ast.strings(file, ast.argument(call, None, "methods"), index.string_resolver(file))
        methods = tuple(dict.fromkeys(m.upper() for m in listed)) or ("GET",)
    return _Declaration(router, path, methods, file.path, ast.line_of(call), handler)


def _expand(declaration: _Declaration, graph: MountGraph) -> Iterator[Route]:
    prefixes = graph.prefixes(declaration.router) if declaration.router else [""]
    for prefix in prefixes:
        path = brace_params(ast.clean_path(join_paths(prefix, declaration.path)))
        for method in declaration.methods:
            yield Route(
                path, method, declaration.file, declaration.line, declaration.handler, "fastapi"
            )


DISCOVERERS: tuple[Discoverer, ...] = (FastAPIDiscoverer(),)
