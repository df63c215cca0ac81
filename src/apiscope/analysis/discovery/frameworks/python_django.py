"""Django and Django REST framework: `urlpatterns` of `path`/`re_path`/`url` entries, followed
through `include()` chains across apps (`include("shop.urls")` resolved to `shop/urls.py`,
`include(router.urls)`, inline lists, `urlpatterns += [...]`), to function views, class-based
views (`View.as_view()`, `ViewSet.as_view({"get": "list"})`) and DRF routers.

Every `urlpatterns` module that no other one includes is a root (the `ROOT_URLCONF`, and any
module included in a way that cannot be read statically); a router whose `urls` are included
nowhere is served at `/`. Views answer ANY method unless their class or decorators say which.
The trailing slash is kept as declared. Framework id `django` for DRF too: one URLconf.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from tree_sitter import Node

from apiscope.analysis.discovery import python_ast as ast
from apiscope.analysis.discovery.base import Discoverer
from apiscope.analysis.discovery.frameworks.python_drf import (
    Endpoint,
    class_view_methods,
    function_view_methods,
    viewset_endpoints,
)
from apiscope.analysis.discovery.frameworks.python_mounts import constructed
from apiscope.analysis.discovery.frameworks.python_symbols import ModuleRef, PythonIndex, Symbol
from apiscope.analysis.discovery.frameworks.python_urlconf import pattern_values, route_piece
from apiscope.analysis.discovery.paths import join_paths
from apiscope.analysis.discovery.project import Project, SourceFile
from apiscope.analysis.routes import Route

_ROUTERS = frozenset(
    {"DefaultRouter", "SimpleRouter", "ExtendedDefaultRouter", "ExtendedSimpleRouter",
     "NestedSimpleRouter", "NestedDefaultRouter"}
)  # fmt: skip
_WRAPPERS_SKIPPED = frozenset({"include", "as_view"})


@dataclass
class _Router:
    trailing: str
    base: str
    """What nested routers put before their prefixes: `users/{user_pk}/`."""
    registrations: list[tuple[SourceFile, Node]] = field(default_factory=list)


class DjangoDiscoverer:
    """Routes of Django projects, DRF routers and views included."""

    name = "django"
    languages: tuple[str, ...] = ("python",)

    def discover(self, project: Project) -> Iterable[Route]:
        """Every route reachable from a URLconf, plus routers included nowhere."""
        index = PythonIndex(project)
        files = [f for f in index.files.values() if not ast.is_test_file(f.path)]
        urlconfs = [
            f.path
            for f in files
            if b"urlpatterns" in f.source and "urlpatterns" in index.bindings(f.path)
        ]
        walker = _Walker(index, _routers(index, files))
        if not urlconfs and not walker.routers:
            return []
        by_root = {path: list(walker.module(path, "", frozenset())) for path in urlconfs}
        routes = [
            r for path, found in by_root.items() if path not in walker.included for r in found
        ]
        for symbol, router in walker.routers.items():
            if symbol not in walker.used:
                routes += walker.router_routes(router, "")
        return routes


def _routers(index: PythonIndex, files: list[SourceFile]) -> dict[Symbol, _Router]:
    routers: dict[Symbol, _Router] = {}
    for file in files:
        if b"Router" not in file.source:
            continue
        for variable, call, _ in constructed(file, _ROUTERS):
            slash = ast.argument(call, None, "trailing_slash")
            trailing = "" if slash is not None and file.text(slash) == "False" else "/"
            routers[Symbol(file.path, variable)] = _Router(
                trailing, _nested_base(index, file, call)
            )
    for file in files:
        if b".register(" not in file.source:
            continue
        for call in ast.descendants(file.root, "call"):
            receiver, method = ast.callee(file, call)
            target = index.resolve(file, receiver) if method == "register" else None
            if isinstance(target, Symbol) and target in routers:
                routers[target].registrations.append((file, call))
    return routers


def _nested_base(index: PythonIndex, file: SourceFile, call: Node) -> str:
    """drf-nested-routers: `NestedSimpleRouter(router, r"users", lookup="user")`."""
    prefix = index.string(file, ast.argument(call, 1, "parent_prefix"))
    lookup = index.string(file, ast.argument(call, None, "lookup"))
    if prefix is None or lookup is None:
        return ""
    return f"{route_piece('re_path', prefix).strip('/')}/{{{lookup}_pk}}/"


class _Walker:
    """Evaluates pattern lists from a root, joining prefixes as Django concatenates them."""

    def __init__(self, index: PythonIndex, routers: dict[Symbol, _Router]) -> None:
        self.index = index
        self.routers = routers
        self.included: set[str] = set()
        self.used: set[Symbol] = set()

    def module(self, path: str, prefix: str, seen: frozenset[str]) -> Iterator[Route]:
        """The routes of a URLconf module's `urlpatterns` under `prefix`."""
        yield from self.named(Symbol(path, "urlpatterns"), prefix, seen)

    def named(self, symbol: Symbol, prefix: str, seen: frozenset[str]) -> Iterator[Route]:
        key = f"{symbol.file}:{symbol.name}"
        if key in seen or symbol.file not in self.index.files:
            return
        file = self.index.file(symbol.file)
        for value in pattern_values(file, symbol.name):
            yield from self.patterns(file, value, prefix, seen | {key})

    def patterns(
        self, file: SourceFile, node: Node, prefix: str, seen: frozenset[str]
    ) -> Iterator[Route]:
        """The routes of a pattern list expression or a single entry."""
        if node.type in ("list", "tuple", "parenthesized_expression", "list_splat"):
            for item in node.named_children:
                yield from self.patterns(file, item, prefix, seen)
        elif node.type == "binary_operator":
            for side in ("left", "right"):
                child = node.child_by_field_name(side)
                if child is not None:
                    yield from self.patterns(file, child, prefix, seen)
        elif node.type == "call":
            yield from self._call(file, node, prefix, seen)
        elif node.type in ("identifier", "attribute"):
            yield from self.reference(file, node, prefix, seen)

    def reference(
        self, file: SourceFile, node: Node, prefix: str, seen: frozenset[str]
    ) -> Iterator[Route]:
        """A name holding patterns: a list, a module (its urlpatterns) or `router.urls`."""
        if node.type == "attribute" and ast.last_name(file, node) == "urls":
            owner = self.index.resolve(file, node.child_by_field_name("object"))
            if isinstance(owner, Symbol) and owner in self.routers:
                self.used.add(owner)
                yield from self.router_routes(self.routers[owner], prefix)
                return
        target = self.index.resolve(file, node)
        if isinstance(target, ModuleRef):
            self.included.add(target.file)
            yield from self.module(target.file, prefix, seen)
        elif isinstance(target, Symbol):
            yield from self.named(target, prefix, seen)

    def _call(
        self, file: SourceFile, call: Node, prefix: str, seen: frozenset[str]
    ) -> Iterator[Route]:
        kind = ast.last_name(file, call)
        if kind in ("path", "re_path", "url"):
            yield from self._entry(file, call, kind, prefix, seen)
        elif kind == "format_suffix_patterns":
            first = ast.argument(call, 0, "urlpatterns")
            if first is not None:
                yield from self.patterns(file, first, prefix, seen)
        elif kind == "i18n_patterns":
            for item in ast.arguments(call)[0]:
                yield from self.patterns(file, item, prefix, seen)

    def _entry(
        self, file: SourceFile, call: Node, kind: str, prefix: str, seen: frozenset[str]
    ) -> Iterator[Route]:
        route = self.index.string(
            file, ast.argument(call, 0, "route" if kind == "path" else "regex")
        )
        view = _unwrap(file, ast.argument(call, 1, "view"))
        if route is None or view is None:
            return
        full = prefix + route_piece(kind, route)
        if view.type == "call" and ast.last_name(file, view) == "include":
            yield from self._include(file, view, full, seen)
            return
        if view.type == "attribute" and ast.last_name(file, view) == "urls":
            yield from self.reference(file, view, full, seen)  # admin.site.urls, router.urls
            return
        for method, handler in self._view(file, view):
            yield Route(join_paths(full), method, file.path, ast.line_of(call), handler, "django")

    def _include(
        self, file: SourceFile, call: Node, prefix: str, seen: frozenset[str]
    ) -> Iterator[Route]:
        target = ast.argument(call, 0, "arg")
        if target is not None and target.type in ("tuple", "parenthesized_expression"):
            target = target.named_children[0] if target.named_children else None
        if target is None:
            return
        module = self.index.string(file, target) if target.type == "string" else None
        if module is None:
            yield from self.patterns(file, target, prefix, seen)
            return
        path = self.index.module_file(file.path, module)
        if path is not None:
            self.included.add(path)
            yield from self.module(path, prefix, seen)

    def _view(self, file: SourceFile, view: Node) -> list[tuple[str, str]]:
        if view.type == "call" and ast.last_name(file, view) == "as_view":
            function = view.child_by_field_name("function")
            owner = function.child_by_field_name("object") if function is not None else None
            actions = ast.argument(view, 0, "actions")
            if actions is not None and actions.type == "dictionary":
                return _action_map(file, owner, actions)
            return class_view_methods(self.index, file, owner)
        handler = ast.last_name(file, view) or "anonymous"
        return [(m, handler) for m in function_view_methods(self.index, file, view)]

    def router_routes(self, router: _Router, prefix: str) -> list[Route]:
        """A router's generated routes under `prefix`."""
        routes: list[Route] = []
        for file, call in router.registrations:
            for endpoint in viewset_endpoints(self.index, file, call, router.trailing):
                routes.append(_route(prefix + router.base, endpoint))
        return routes


def _route(prefix: str, endpoint: Endpoint) -> Route:
    path = join_paths(prefix + endpoint.path)
    return Route(path, endpoint.method, endpoint.file, endpoint.line, endpoint.handler, "django")


def _unwrap(file: SourceFile, view: Node | None) -> Node | None:
    """`csrf_exempt(views.hook)`, `cache_page(60)(views.page)` → the view inside."""
    while (
        view is not None
        and view.type == "call"
        and ast.last_name(file, view) not in _WRAPPERS_SKIPPED
    ):
        positional, _ = ast.arguments(view)
        view = positional[0] if positional else None
    return view


def _action_map(file: SourceFile, owner: Node | None, actions: Node) -> list[tuple[str, str]]:
    """`UserViewSet.as_view({"get": "list", "post": "create"})`."""
    name = ast.last_name(file, owner) or "anonymous"
    pairs: list[tuple[str, str]] = []
    for pair in actions.named_children:
        key, value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
        method, action = ast.string_value(file, key), ast.string_value(file, value)
        if pair.type == "pair" and method and action:
            pairs.append((method.upper(), f"{name}.{action}"))
    return pairs


DISCOVERERS: tuple[Discoverer, ...] = (DjangoDiscoverer(),)
