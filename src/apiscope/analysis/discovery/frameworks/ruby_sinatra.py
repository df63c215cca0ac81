"""Sinatra: `get '/x' do ... end` at the top level of a classic app or in a `Sinatra::Base` class.

A subclass of a subclass counts (`class Api < AppBase`, `AppBase < Sinatra::Base`), as do the
routes of an extension's `self.registered(app)` (`app.get '/x' do`) and sinatra-contrib's
`namespace '/api' do`. The handler is the block: `anonymous`. Grape APIs share the verbs but not
the superclass, and spec files drive apps with `get '/x'`: neither is taken for a route.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from tree_sitter import Node

from apiscope.analysis.discovery.base import Discoverer
from apiscope.analysis.discovery.paths import colon_params, join_paths
from apiscope.analysis.discovery.project import Project, SourceFile
from apiscope.analysis.discovery.ruby_ast import (
    is_test_path,
    literal,
    nested_calls,
    parse_call,
)
from apiscope.analysis.routes import Route

FRAMEWORK = "sinatra"
VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "link", "unlink"})
SINATRA_BASES = frozenset({"Sinatra::Base", "Sinatra::Application"})
_ROUTE_CALL = re.compile(rb"^\s*(?:\w+\.)?(?:get|post|put|patch|delete)\s*\(?\s*['\"]/", re.M)
_CLASSIC = re.compile(rb"require\s*\(?\s*['\"]sinatra['\"]")
_OPTIONAL_GROUP = re.compile(r"\([^()]*\)\??")
_FORMAT_SUFFIX = re.compile(r"\.?\??:format\??$")
_BARE_SPLAT = re.compile(r"\*(?![A-Za-z_])")


def sinatra_path(pattern: str) -> str:
    """`/posts/:id.?:format?` → `/posts/{id}`; `/files/*` → `/files/{splat}`; `/x/?` → `/x`."""
    path = _OPTIONAL_GROUP.sub("", pattern)
    path = _FORMAT_SUFFIX.sub("", path).replace("/?/", "/").removesuffix("/?")
    return colon_params(_BARE_SPLAT.sub("{splat}", path))


@dataclass(frozen=True)
class RubyClass:
    """A class declaration: its name qualified by the enclosing modules, and its superclass."""

    file: SourceFile
    node: Node
    name: str
    superclass: str


def _classes(file: SourceFile, node: Node, outer: str = "") -> Iterator[RubyClass]:
    for child in node.named_children:
        if child.type not in ("class", "module"):
            yield from _classes(file, child, outer) if child.type != "method" else ()
            continue
        name_node = child.child_by_field_name("name")
        name = file.text(name_node) if name_node is not None else ""
        qualified = f"{outer}::{name}" if outer else name
        superclass = child.child_by_field_name("superclass")
        if child.type == "class":
            parent = file.text(superclass).lstrip("<").strip() if superclass else ""
            yield RubyClass(file, child, qualified, parent.removeprefix("::"))
        yield from _classes(file, child, qualified)


def sinatra_classes(classes: list[RubyClass]) -> list[RubyClass]:
    """The classes that descend from `Sinatra::Base`, however many project classes in between."""
    found: dict[str, RubyClass] = {}
    changed = True
    while changed:
        changed = False
        for cls in classes:
            if cls.name not in found and _inherits(cls.superclass, found):
                found[cls.name] = cls
                changed = True
    return list(found.values())


def _inherits(superclass: str, found: dict[str, RubyClass]) -> bool:
    if superclass in SINATRA_BASES:
        return True
    return any(name == superclass or name.endswith("::" + superclass) for name in found)


class SinatraDiscoverer:
    """Routes of classic and modular Sinatra applications."""

    name = FRAMEWORK
    languages: tuple[str, ...] = ("ruby",)

    def discover(self, project: Project) -> list[Route]:
        """Top-level routes when the app is classic, and routes in Sinatra classes."""
        files = [
            f for f in project.of("ruby")
            if not is_test_path(f.path) and (b"Sinatra" in f.source or _ROUTE_CALL.search(f.source))
        ]  # fmt: skip
        classes = [c for f in files for c in _classes(f, f.root)]
        routes: list[Route] = []
        if any(_CLASSIC.search(f.source) for f in files):
            for file in files:
                routes += _routes(file, file.root.named_children, "/", None)
        for cls in sinatra_classes(classes):
            body = cls.node.child_by_field_name("body")
            routes += _routes(cls.file, body.named_children if body else (), "/", None)
        for file in files:
            routes += _extension_routes(file, file.root)
        return routes


def _routes(
    file: SourceFile, statements: Iterable[Node], prefix: str, receiver: str | None
) -> list[Route]:
    """Route blocks among these statements; `receiver` is the extension's `app` parameter."""
    found: list[Route] = []
    for node in (n for s in statements for n in nested_calls(s)):
        call = parse_call(file, node)
        if call is None or call.body is None:
            continue
        if (file.text(call.receiver) if call.receiver else None) != receiver:
            continue
        # Inside a namespace, `get do ... end` serves the namespace's own path.
        path = literal(file, call.args[0]) if call.args else "" if prefix != "/" else None
        if path is None:
            continue
        if call.name == "namespace":
            found += _routes(file, call.body, join_paths(prefix, sinatra_path(path)), receiver)
        elif call.name in VERBS:
            full = join_paths(prefix, sinatra_path(path))
            found.append(
                Route(full, call.name.upper(), file.path, call.line, "anonymous", FRAMEWORK)
            )
    return found


def _extension_routes(file: SourceFile, node: Node) -> list[Route]:
    """`def self.registered(app)` of a Sinatra extension: `app.get '/x' do ... end`."""
    found: list[Route] = []
    for child in node.named_children:
        if child.type == "singleton_method" and _method_name(file, child) == "registered":
            parameters = child.child_by_field_name("parameters")
            body = child.child_by_field_name("body")
            if parameters is not None and parameters.named_children and body is not None:
                app = file.text(parameters.named_children[0])
                found += _routes(file, body.named_children, "/", app)
        elif child.type in ("class", "module", "body_statement"):
            found += _extension_routes(file, child)
    return found


def _method_name(file: SourceFile, node: Node) -> str:
    name = node.child_by_field_name("name")
    return file.text(name) if name is not None else ""


DISCOVERERS: tuple[Discoverer, ...] = (SinatraDiscoverer(),)
