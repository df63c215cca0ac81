"""What a NestJS application adds in front of every controller path, read from its bootstrap.

`app.setGlobalPrefix('api', { exclude: ['health'] })`, URI versioning from
`app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' })`, and module paths
from `RouterModule.register([{ path: 'admin', module: AdminModule, children: [...] }])` joined
with `@Module({ controllers: [...] })`. A monorepo may bootstrap several apps: a controller
takes the settings of the bootstrap file nearest to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TypeVar

from tree_sitter import Node

from apiscope.analysis.discovery.frameworks.js_strings import constant_string
from apiscope.analysis.discovery.frameworks.js_value_types import External, Ref
from apiscope.analysis.discovery.frameworks.js_values import Values
from apiscope.analysis.discovery.js_ast import (
    call_arguments,
    calls,
    member_call,
    named,
    object_property,
)
from apiscope.analysis.discovery.paths import join_paths
from apiscope.analysis.discovery.project import SourceFile

_Setting = TypeVar("_Setting", "GlobalPrefix", "UriVersioning")
NEUTRAL = ""
"""The version segment of a `VERSION_NEUTRAL` route: none."""


@dataclass(frozen=True)
class GlobalPrefix:
    """`setGlobalPrefix(prefix, { exclude })`; exclusions are (path regex, method or None)."""

    file: str
    prefix: str
    excluded: tuple[tuple[re.Pattern[str], str | None], ...] = ()

    def applies(self, path: str, method: str) -> bool:
        """Whether a route (path without the prefix) gets the prefix."""
        bare = path.strip("/")
        return not any(p.fullmatch(bare) and m in (None, method) for p, m in self.excluded)


@dataclass(frozen=True)
class UriVersioning:
    """`enableVersioning()` with the URI type: `/v1/...`."""

    file: str
    prefix: str
    default: tuple[str, ...]


@dataclass
class NestApp:
    """The application-wide settings found in a project."""

    prefixes: list[GlobalPrefix] = field(default_factory=list)
    versionings: list[UriVersioning] = field(default_factory=list)
    module_paths: dict[str, str] = field(default_factory=dict)
    controller_modules: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, values: Values, files: list[SourceFile]) -> NestApp:
        """Reads the bootstrap calls and module declarations of every file."""
        app = cls()
        for file in files:
            for call in calls(file):
                app._read_call(values, file, call)
        return app

    def global_prefix(self, path: str) -> GlobalPrefix | None:
        """The global prefix of the app a controller file belongs to."""
        return _nearest(self.prefixes, path)

    def versioning(self, path: str) -> UriVersioning | None:
        """URI versioning of the app a controller file belongs to, if enabled."""
        return _nearest(self.versionings, path)

    def module_prefix(self, controller: str) -> str:
        """The `RouterModule` path of the module declaring a controller."""
        return self.module_paths.get(self.controller_modules.get(controller, ""), "")

    def _read_call(self, values: Values, file: SourceFile, call: Node) -> None:
        parts = member_call(call)
        args = call_arguments(call)
        if parts is None:
            if _is_nest(values, file, call, "Module") and args:
                self._read_module(values, file, call, args[0])
        elif parts[1] == "setGlobalPrefix" and args:
            prefix = constant_string(values, file.path, args[0])
            if prefix is not None:
                excluded = _exclusions(values, file, args[1]) if len(args) > 1 else ()
                self.prefixes.append(GlobalPrefix(file.path, prefix, excluded))
        elif parts[1] == "enableVersioning":
            self._read_versioning(values, file, args)
        elif (
            parts[1] in ("register", "forRoutes") and file.text(parts[0]) == "RouterModule" and args
        ):
            routes = values.value(file.path, args[0])
            if isinstance(routes, Ref):
                self._read_routes(values, routes, "")

    def _read_versioning(self, values: Values, file: SourceFile, args: list[Node]) -> None:
        options = values.value(file.path, args[0]) if args else None
        node = options.node if isinstance(options, Ref) and options.node.type == "object" else None
        kind = object_property(node, "type") if node is not None else None
        if kind is not None and not file.text(kind).endswith("URI"):
            return
        prefix = object_property(node, "prefix") if node is not None else None
        default = object_property(node, "defaultVersion") if node is not None else None
        written = (
            "v"
            if prefix is None
            else ("" if prefix.text == b"false" else constant_string(values, file.path, prefix))
        )
        versions = versions_of(values, file.path, default) if default is not None else ()
        self.versionings.append(UriVersioning(file.path, written or "", versions))

    def _read_routes(self, values: Values, routes: Ref, base: str) -> None:
        """One level of `RouterModule` routes: `{ path, module, children }` or a bare module."""
        for item in named(routes.node) if routes.node.type == "array" else []:
            entry = values.value(routes.path, item)
            if isinstance(entry, Ref) and entry.node.type == "object":
                path_node = object_property(entry.node, "path")
                written = (
                    constant_string(values, entry.path, path_node)
                    if path_node is not None
                    else None
                )
                path = join_paths(base, written or "")
                module = object_property(entry.node, "module")
                if module is not None and module.text is not None:
                    self.module_paths[module.text.decode(errors="replace")] = path
                children = object_property(entry.node, "children")
                child_routes = values.value(entry.path, children) if children is not None else None
                if isinstance(child_routes, Ref):
                    self._read_routes(values, child_routes, path)
            elif item.type == "identifier" and item.text is not None:
                self.module_paths[item.text.decode(errors="replace")] = base

    def _read_module(self, values: Values, file: SourceFile, call: Node, options: Node) -> None:
        """`@Module({ controllers: [...] })` on a class: which controllers the module declares."""
        holder = call.parent.parent if call.parent is not None else None
        if holder is not None and holder.type == "export_statement":
            holder = holder.child_by_field_name("declaration")
        name = holder.child_by_field_name("name") if holder is not None else None
        controllers = object_property(options, "controllers") if options.type == "object" else None
        if name is not None and controllers is not None:
            for controller in named(controllers):
                self.controller_modules[file.text(controller)] = file.text(name)


def versions_of(values: Values, path: str, node: Node) -> tuple[str, ...]:
    """`'1'`, `['1', '2']` or `VERSION_NEUTRAL` as version strings (neutral is "")."""
    items = named(node) if node.type == "array" else [node]
    found = [
        NEUTRAL
        if (i.text or b"").endswith(b"VERSION_NEUTRAL")
        else constant_string(values, path, i)
        for i in items
    ]
    return tuple(v for v in found if v is not None)


def _is_nest(values: Values, file: SourceFile, call: Node, name: str) -> bool:
    callee = call.child_by_field_name("function")
    value = (
        values.value(file.path, callee)
        if callee is not None and callee.type == "identifier"
        else None
    )
    return (
        isinstance(value, External)
        and value.package == "@nestjs/common"
        and value.members == (name,)
    )


def _exclusions(
    values: Values, file: SourceFile, options: Node
) -> tuple[tuple[re.Pattern[str], str | None], ...]:
    """`exclude: ['health', 'docs/(.*)', { path: 'x', method: RequestMethod.GET }]`."""
    holder = values.value(file.path, options)
    exclude = object_property(holder.node, "exclude") if isinstance(holder, Ref) else None
    found: list[tuple[re.Pattern[str], str | None]] = []
    for item in named(exclude) if exclude is not None and exclude.type == "array" else []:
        path_node = object_property(item, "path") if item.type == "object" else item
        method = object_property(item, "method") if item.type == "object" else None
        path = constant_string(values, file.path, path_node) if path_node is not None else None
        verb = file.text(method).rsplit(".", 1)[-1] if method is not None else "ALL"
        if path is not None:
            found.append((_pattern(path), None if verb == "ALL" else verb))
    return tuple(found)


def _pattern(path: str) -> re.Pattern[str]:
    """Nest's exclude syntax: `:id` matches a segment, `(.*)` and `*` match anything."""
    escaped = re.escape(path.strip("/")).replace(r"\(\.\*\)", ".*").replace(r"\*", ".*")
    return re.compile(re.sub(r"\\?:[A-Za-z_]\w*", "[^/]+", escaped))


def _nearest(found: list[_Setting], path: str) -> _Setting | None:
    """The setting declared in the folder sharing the longest prefix with `path`."""

    def shared(item: _Setting) -> int:
        ours, theirs = path.split("/")[:-1], item.file.split("/")[:-1]
        return next(
            (i for i, (a, b) in enumerate(zip(ours, theirs, strict=False)) if a != b), len(theirs)
        )

    return max(found, key=shared, default=None)
