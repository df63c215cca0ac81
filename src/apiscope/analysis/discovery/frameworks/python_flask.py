"""Flask and its REST extensions: `@app.route(rule, methods=[...])`, `@bp.get` shortcuts,
`add_url_rule` with functions or `View.as_view(...)`, Blueprints with `url_prefix` at creation
and at `register_blueprint` (which replaces it, as Flask does), nested blueprints; class views
decorated with `@blp.route` (flask-smorest) or `@ns.route` (flask-restx Namespaces), and
flask-restful's `api.add_resource(Resource, "/a", "/b")`.

Rules use `<int:id>`; they are written `{id}`. A receiver must be a known Flask object, or
the file must import flask and the rule start with `/`; test files are not read.
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
from apiscope.analysis.discovery.frameworks.python_views import class_view
from apiscope.analysis.discovery.paths import angle_params, join_paths
from apiscope.analysis.discovery.project import Project, SourceFile
from apiscope.analysis.routes import Route

_OWN_PREFIX = {"Blueprint": "url_prefix", "APIBlueprint": "url_prefix", "Api": "prefix"}
_CONSTRUCTORS = frozenset({"Flask", "APIFlask", "Namespace", "namespace", *_OWN_PREFIX})
_REGISTRATIONS = {"register_blueprint": "url_prefix", "add_namespace": "path"}
_ROUTE_METHODS = frozenset({"route", "get", "post", "put", "patch", "delete"})


@dataclass(frozen=True)
class _Declaration:
    router: Symbol | None
    rules: tuple[str, ...]
    methods: tuple[tuple[str, str], ...]
    """(HTTP method, handler) pairs."""
    file: str
    line: int


class FlaskDiscoverer:
    """Routes of Flask applications, blueprints and REST extensions."""

    name = "flask"
    languages: tuple[str, ...] = ("python",)

    def discover(self, project: Project) -> Iterable[Route]:
        """Every Flask route, blueprint and API prefixes applied."""
        index = PythonIndex(project)
        files = [f for f in index.files.values() if not ast.is_test_file(f.path)]
        graph = MountGraph(replace=True)
        for file in files:
            if _imports_flask(file):
                _collect_objects(index, file, graph)
        if not graph.own:
            return []
        names = {symbol.name.encode() + b"." for symbol in graph.own}
        candidates = [f for f in files if any(name in f.source for name in names)]
        for file in candidates:
            _collect_registrations(index, file, graph)
        return [
            route
            for file in candidates
            for declaration in _declarations(index, file, graph)
            for route in _expand(declaration, graph)
        ]


def _imports_flask(file: SourceFile) -> bool:
    return ast.imports(file, "flask") or ast.imports(file, "apiflask")


def _collect_objects(index: PythonIndex, file: SourceFile, graph: MountGraph) -> None:
    for variable, call, _ in constructed(file, _CONSTRUCTORS):
        symbol = Symbol(file.path, variable)
        constructor = ast.last_name(file, call) or ""
        graph.add_router(symbol, _own_prefix(index, file, call, constructor))
        receiver, _ = ast.callee(file, call)
        owner = receiver if constructor == "namespace" else ast.argument(call, 0, "app")
        if constructor in ("Api", "namespace") and owner is not None:
            parent = router_symbol(index, file, owner)
            if parent is not None:
                graph.mount(parent, symbol, None)


def _own_prefix(index: PythonIndex, file: SourceFile, call: Node, constructor: str) -> str:
    if constructor in ("Namespace", "namespace"):
        path = index.string(file, ast.argument(call, None, "path"))
        name = index.string(file, ast.argument(call, 0, "name"))
        return path if path is not None else "/" + (name or "")
    keyword = _OWN_PREFIX.get(constructor)
    return (index.string(file, ast.argument(call, None, keyword)) or "") if keyword else ""


def _collect_registrations(index: PythonIndex, file: SourceFile, graph: MountGraph) -> None:
    for call in ast.descendants(file.root, "call"):
        receiver, method = ast.callee(file, call)
        parent = router_symbol(index, file, receiver)
        if parent is None:
            continue
        if method in _REGISTRATIONS:
            for env in iterations(index, file, call):
                child_node = bound(file, ast.argument(call, 0, "blueprint"), env)
                prefix_node = bound(file, ast.argument(call, None, _REGISTRATIONS[method]), env)
                child = router_symbol(index, file, child_node)
                prefix = index.string(file, prefix_node) if prefix_node is not None else None
                if child is not None and child in graph.own:
                    graph.mount(parent, child, prefix)
        elif method == "init_app" and parent in graph.own:
            app = router_symbol(index, file, ast.argument(call, 0, "app"))
            if app is not None:
                graph.mount(app, parent, None)


def _declarations(
    index: PythonIndex, file: SourceFile, graph: MountGraph
) -> Iterator[_Declaration]:
    imports_flask = _imports_flask(file)
    for call in ast.descendants(file.root, "call"):
        receiver, method = ast.callee(file, call)
        if receiver is None:
            continue
        owner = classify_receiver(index, file, receiver, graph)
        if owner.foreign or (owner.router is None and not imports_flask):
            continue
        declaration = _declaration(index, file, call, method, owner.router)
        if declaration is not None and (owner.router or declaration.rules[0].startswith("/")):
            yield declaration


def _declaration(
    index: PythonIndex, file: SourceFile, call: Node, method: str, router: Symbol | None
) -> _Declaration | None:
    if method in _ROUTE_METHODS and call.parent is not None and call.parent.type == "decorator":
        pairs = _decorator_methods(index, file, call, method)
    elif method == "add_url_rule":
        pairs = _view_methods(index, file, ast.argument(call, 2, "view_func"), call)
    elif method == "add_resource":
        pairs = _class_methods(index, file, ast.argument(call, 0, "resource"), None)
    else:
        return None
    positional, _ = ast.arguments(call)
    start = 1 if method == "add_resource" else 0
    rule_nodes = positional[start:] if method == "add_resource" else [ast.argument(call, 0, "rule")]
    rules = [index.string(file, node) for node in rule_nodes if node is not None]
    found = tuple(r for r in rules if r is not None)
    if not found or not pairs:
        return None
    return _Declaration(router, found, tuple(pairs), file.path, ast.line_of(call))


def _decorator_methods(
    index: PythonIndex, file: SourceFile, call: Node, method: str
) -> list[tuple[str, str]]:
    definition = ast.decorated(call.parent) if call.parent is not None else None
    if definition is not None and definition.type == "class_definition":
        return _class_methods(index, file, definition, _listed(index, file, call))
    handler = ast.definition_name(file, definition)
    if method != "route":
        return [(method.upper(), handler)]
    return [(m, handler) for m in _listed(index, file, call) or ["GET"]]


def _view_methods(
    index: PythonIndex, file: SourceFile, view: Node | None, call: Node
) -> list[tuple[str, str]]:
    view = _as_view_call(index, file, view)
    if view is None:
        return []
    listed = _listed(index, file, call)
    if view.type == "call" and ast.last_name(file, view) == "as_view":
        function = view.child_by_field_name("function")
        owner = function.child_by_field_name("object") if function is not None else None
        return _class_methods(index, file, owner, listed)
    handler = ast.last_name(file, view) or "anonymous"
    return [(m, handler) for m in listed or ["GET"]]


def _as_view_call(index: PythonIndex, file: SourceFile, view: Node | None) -> Node | None:
    """`product_view = ProductAPI.as_view("product")` then `view_func=product_view`."""
    if view is None or view.type != "identifier":
        return view
    target = index.resolve(file, view)
    value = index.assigned(target) if isinstance(target, Symbol) else None
    same_file = target is not None and target.file == file.path
    if value is not None and same_file and ast.last_name(file, value) == "as_view":
        return value
    return view


def _class_methods(
    index: PythonIndex, file: SourceFile, node: Node | None, listed: list[str] | None
) -> list[tuple[str, str]]:
    view = class_view(index, file, node)
    if view is None:
        name = ast.last_name(file, node) or "anonymous"
        return [(m, name) for m in listed or ["GET"]]
    declared = view.attribute_strings(index, "methods")
    methods = listed or [m.upper() for m in declared or view.http_methods()] or ["GET"]
    handlers = {m.upper(): f"{view.name}.{m}" for m in view.http_methods()}
    return [(m, handlers.get(m, f"{view.name}.dispatch_request")) for m in methods]


def _listed(index: PythonIndex, file: SourceFile, call: Node) -> list[str] | None:
    node = ast.argument(call, None, "methods")
    if node is None:
        return None
    return list(
        dict.fromkeys(m.upper() for m in ast.strings(file, node, index.string_resolver(file)))
    )


def _expand(declaration: _Declaration, graph: MountGraph) -> Iterator[Route]:
    prefixes = graph.prefixes(declaration.router) if declaration.router else [""]
    for prefix in prefixes:
        for rule in declaration.rules:
            path = angle_params(ast.clean_path(join_paths(prefix, rule)))
            for method, handler in declaration.methods:
                yield Route(path, method, declaration.file, declaration.line, handler, "flask")


DISCOVERERS: tuple[Discoverer, ...] = (FlaskDiscoverer(),)
