"""NestJS: `@Controller('users')` classes whose methods carry `@Get(':id')`, `@Post()`, ...

A route's path is the global prefix (`setGlobalPrefix`, unless excluded), the URI version
(`/v1`), the `RouterModule` path of the controller's module, the controller path and the method
path. Decorators count only when imported from `@nestjs/common`, so look-alikes from other
libraries (routing-controllers, tsoa) are not mistaken for Nest. Routes a controller inherits
from a base class are reported where the base class declares them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from tree_sitter import Node

from apiscope.analysis.discovery.base import Discoverer
from apiscope.analysis.discovery.frameworks.js_nest_app import NestApp, versions_of
from apiscope.analysis.discovery.frameworks.js_router_graph import join_js
from apiscope.analysis.discovery.frameworks.js_strings import constant_string
from apiscope.analysis.discovery.frameworks.js_value_types import External, Ref
from apiscope.analysis.discovery.frameworks.js_values import Values
from apiscope.analysis.discovery.js_ast import (
    CLASS_TYPES,
    JS_LANGUAGES,
    call_arguments,
    js_files,
    line_of,
    named,
    object_property,
)
from apiscope.analysis.discovery.paths import colon_params
from apiscope.analysis.discovery.project import Project, SourceFile
from apiscope.analysis.routes import ANY_METHOD, Route

HTTP_DECORATORS = {
    "Get": "GET", "Post": "POST", "Put": "PUT", "Patch": "PATCH", "Delete": "DELETE",
    "Options": "OPTIONS", "Head": "HEAD", "Search": "SEARCH", "All": ANY_METHOD, "Sse": "GET",
}  # fmt: skip
_MAX_BASES = 4


@dataclass(frozen=True)
class _Handler:
    """One decorated method: where, which HTTP method, its paths and own versions."""

    file: SourceFile
    cls: str
    name: str
    line: int
    method: str
    paths: list[str]
    versions: tuple[str, ...]


class NestDiscoverer:
    """Finds NestJS controller routes."""

    name: str = "nestjs"
    languages: tuple[str, ...] = JS_LANGUAGES

    def discover(self, project: Project) -> list[Route]:
        """Every route of every `@Controller` class, with the app-wide prefixes applied."""
        files = [f for f in js_files(project) if b"@nestjs/" in f.source]
        if not files:
            return []
        values = Values(project)
        app = NestApp.read(values, files)
        return [
            route
            for file in files
            for cls in _classes(file.root)
            for route in _controller_routes(values, app, file, cls)
        ]


def _classes(root: Node) -> Iterator[Node]:
    for node in named(root):
        node = (
            node.child_by_field_name("declaration") or node
            if node.type == "export_statement"
            else node
        )
        if node.type in CLASS_TYPES:
            yield node


def _controller_routes(
    values: Values, app: NestApp, file: SourceFile, cls: Node
) -> Iterator[Route]:
    controller = next(
        (d for d in _decorators(cls) if _nest_call(values, file, d) == "Controller"), None
    )
    name = cls.child_by_field_name("name")
    if controller is None or name is None:
        return
    paths, versions = _controller_options(values, file, controller)
    class_name = file.text(name)
    module_prefix = app.module_prefix(class_name)
    prefix, versioning = app.global_prefix(file.path), app.versioning(file.path)
    for handler in _handlers(values, file, cls, 0):
        for local in (join_js(module_prefix, c, m) for c in paths for m in handler.paths):
            glob = (
                prefix.prefix
                if prefix is not None and prefix.applies(local, handler.method)
                else ""
            )
            chosen = handler.versions or versions or (versioning.default if versioning else ())
            for version in chosen or ("",):
                segment = (
                    f"{versioning.prefix}{version}" if versioning is not None and version else ""
                )
                path = colon_params(join_js(glob, segment, local))
                handler_name = f"{handler.cls}.{handler.name}"
                yield Route(
                    path, handler.method, handler.file.path, handler.line, handler_name, "nestjs"
                )


def _controller_options(
    values: Values, file: SourceFile, decorator: Node
) -> tuple[list[str], tuple[str, ...]]:
    """`@Controller()`, `('users')`, `(['a', 'b'])` or `({ path, version })`: paths, versions."""
    args = call_arguments(named(decorator)[0])
    if not args:
        return [""], ()
    options = values.value(file.path, args[0])
    if isinstance(options, Ref) and options.node.type == "object":
        path, version = (
            object_property(options.node, "path"),
            object_property(options.node, "version"),
        )
        paths = _strings(values, options.path, path) if path is not None else [""]
        return paths, versions_of(values, options.path, version) if version is not None else ()
    return _strings(values, file.path, args[0]), ()


def _handlers(values: Values, file: SourceFile, cls: Node, depth: int) -> Iterator[_Handler]:
    """The decorated methods of a class, then those it inherits and does not override."""
    own: set[str] = set()
    pending: list[Node] = []
    class_name = file.text(cls.child_by_field_name("name") or cls)
    for member in named(cls.child_by_field_name("body")):
        if member.type == "decorator":
            pending.append(member)
            continue
        name = member.child_by_field_name("name")
        if member.type == "method_definition" and name is not None:
            own.add(file.text(name))
            yield from _decorated(values, file, class_name, file.text(name), pending)
        pending = []
    base = _base_class(values, file, cls) if depth < _MAX_BASES else None
    if base is not None:
        base_file = values.modules.file(base.path)
        yield from (
            h for h in _handlers(values, base_file, base.node, depth + 1) if h.name not in own
        )


def _decorated(
    values: Values, file: SourceFile, cls: str, name: str, decorators: list[Node]
) -> Iterator[_Handler]:
    versions: tuple[str, ...] = ()
    for decorator in decorators:
        if _nest_call(values, file, decorator) == "Version":
            args = call_arguments(named(decorator)[0])
            versions = versions_of(values, file.path, args[0]) if args else ()
    for decorator in decorators:
        verb = HTTP_DECORATORS.get(_nest_call(values, file, decorator) or "")
        if verb is not None:
            args = call_arguments(named(decorator)[0])
            paths = _strings(values, file.path, args[0]) if args else [""]
            yield _Handler(file, cls, name, line_of(decorator), verb, paths, versions)


def _base_class(values: Values, file: SourceFile, cls: Node) -> Ref | None:
    """The class a class extends, when it is declared in the project."""
    heritage = next((c for c in named(cls) if c.type == "class_heritage"), None)
    extends = next((c for c in named(heritage) if c.type == "extends_clause"), None)
    parent = extends.child_by_field_name("value") if extends is not None else None
    base = values.value(file.path, parent) if parent is not None else None
    return base if isinstance(base, Ref) and base.node.type in CLASS_TYPES else None


def _decorators(cls: Node) -> list[Node]:
    """Class decorators sit on the class, or on `export` for an exported class."""
    holder = (
        cls.parent if cls.parent is not None and cls.parent.type == "export_statement" else None
    )
    return [d for d in named(holder) + named(cls) if d.type == "decorator"]


def _nest_call(values: Values, file: SourceFile, decorator: Node) -> str | None:
    """The `@nestjs/common` export a decorator calls (`Get` for `@Get(':id')`), else None."""
    call = next(iter(named(decorator)), None)
    callee = (
        call.child_by_field_name("function")
        if call is not None and call.type == "call_expression"
        else None
    )
    value = values.value(file.path, callee) if callee is not None else None
    if (
        isinstance(value, External)
        and value.package == "@nestjs/common"
        and len(value.members) == 1
    ):
        return value.members[0]
    return None


def _strings(values: Values, path: str, node: Node) -> list[str]:
    items = named(node) if node.type == "array" else [node]
    return [s for s in (constant_string(values, path, i) for i in items) if s is not None]


DISCOVERERS: tuple[Discoverer, ...] = (NestDiscoverer(),)
