"""Symfony: `#[Route]` attributes and `@Route` docblock annotations on controller methods.

A class-level route gives its path as a prefix and its methods to every action; on an invokable
controller with no method routes it is the route of `__invoke`. Localised paths
(`path: ['en' => '/about', 'nl' => '/over-ons']`) give one route per distinct path, a localised
prefix joining the path of the same locale. Handlers are `BlogController.show`. Routes declared
in YAML, XML or PHP route configuration files are not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from apiscope.analysis.discovery.base import Discoverer
from apiscope.analysis.discovery.paths import join_paths
from apiscope.analysis.discovery.php_ast import line_of, php_files
from apiscope.analysis.discovery.project import Project, SourceFile
from apiscope.analysis.discovery.symfony_routes import Declared, declarations
from apiscope.analysis.routes import ANY_METHOD, Route

FRAMEWORK = "symfony"
_MARKERS = (b"Symfony\\Component\\Routing", b"Sensio\\Bundle\\FrameworkExtraBundle")
_PARAMETER = re.compile(r"\{!?([A-Za-z_]\w*)(?::[\w.]+)?(?:<[^>]*>)?(?:\?[^}]*)?\}")


def symfony_path(path: str) -> str:
    """`/blog/{page<\\d+>?1}` → `/blog/{page}`; `{slug:post}` (mapped entity) → `{slug}`."""
    return _PARAMETER.sub(r"{\1}", path)


def _classes(node: Node) -> Iterator[Node]:
    """Concrete classes: Symfony's attribute loader skips abstract ones."""
    for child in node.named_children:
        if child.type == "class_declaration":
            if not any(c.type == "abstract_modifier" for c in child.named_children):
                yield child
        elif child.type in ("namespace_definition", "compound_statement"):
            yield from _classes(child)


def _methods(node: Node) -> list[Node]:
    body = node.child_by_field_name("body")
    members = body.named_children if body is not None else []
    return [m for m in members if m.type == "method_declaration"]


def _name(file: SourceFile, node: Node) -> str:
    name = node.child_by_field_name("name")
    return file.text(name) if name is not None else ""


def class_routes(file: SourceFile, cls: Node) -> Iterator[Route]:
    """Every route one controller class declares."""
    prefixes = declarations(file, cls) or [Declared(((None, ""),), (), line_of(cls))]
    owner = _name(file, cls)
    methods = [(m, declarations(file, m)) for m in _methods(cls)]
    for prefix in prefixes:
        for method, declared in methods:
            for route in declared:
                yield from _combine(file, prefix, route, f"{owner}.{_name(file, method)}")
    invokable = any(_name(file, m) == "__invoke" for m, _ in methods)
    if invokable and not any(declared for _, declared in methods):
        for prefix in declarations(file, cls):
            itself = Declared(((None, ""),), (), prefix.line)
            yield from _combine(file, prefix, itself, f"{owner}.__invoke")


def _combine(file: SourceFile, prefix: Declared, route: Declared, handler: str) -> Iterator[Route]:
    methods = tuple(dict.fromkeys(prefix.methods + route.methods)) or (ANY_METHOD,)
    paths = {
        symfony_path(join_paths(base, path))
        for base_locale, base in prefix.paths
        for locale, path in route.paths
        if base_locale is None or locale is None or base_locale == locale
    }
    for path in sorted(paths):
        for method in methods:
            yield Route(path, method, file.path, route.line, handler, FRAMEWORK)


class SymfonyDiscoverer:
    """Routes declared by attributes or annotations on Symfony controllers."""

    name = FRAMEWORK
    languages: tuple[str, ...] = ("php",)

    def discover(self, project: Project) -> Iterator[Route]:
        """Every routed method of every class in files that import Symfony's routing."""
        for file in php_files(project, *_MARKERS):
            for cls in _classes(file.root):
                yield from class_routes(file, cls)


DISCOVERERS: tuple[Discoverer, ...] = (SymfonyDiscoverer(),)
