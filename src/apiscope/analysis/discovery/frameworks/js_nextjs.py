"""Next.js file-system API routes: `pages/api/**` and App Router `app/**/route.ts` handlers.

The path comes from the file's place under `pages/api` or `app` (also under `src/`, and in any
folder of a monorepo that is a Next.js app): `[id]` is `{id}`, `[...slug]` and `[[...slug]]`
are `{slug}`, `index` files and `(group)` / `@slot` folders add nothing, and `_private` folders
are not routed. An App Router file yields one route per exported `GET`, `POST`, ... A
`pages/api` handler answers any method unless it tells them apart: `req.method === 'POST'`,
`switch (req.method)`, or next-connect's `.get(...)` / `.post(...)`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from tree_sitter import Node

from apiscope.analysis.discovery.base import Discoverer
from apiscope.analysis.discovery.frameworks.js_next_methods import declared_methods
from apiscope.analysis.discovery.frameworks.js_value_types import Ref
from apiscope.analysis.discovery.frameworks.js_values import Values
from apiscope.analysis.discovery.js_ast import (
    FUNCTION_TYPES,
    JS_LANGUAGES,
    call_arguments,
    handler_name,
    js_files,
    line_of,
    unwrap,
)
from apiscope.analysis.discovery.paths import join_paths
from apiscope.analysis.discovery.project import Project, SourceFile
from apiscope.analysis.routes import ANY_METHOD, Route

APP_ROUTE_METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")
_PAGES = re.compile(r"(?:^|/)(?:src/)?pages/api/")
_APP = re.compile(r"(?:^|/)(?:src/)?app/")
_PAGE_FILE = re.compile(r"\.(?:js|jsx|ts|tsx)$")
_ROUTE_FILE = re.compile(r"(?:^|/)route\.(?:js|jsx|ts|tsx)$")
_CATCH_ALL = re.compile(r"^\[{1,2}\.\.\.([^\]]+)\]{1,2}$")
_DYNAMIC = re.compile(r"^\[([^\].]+)\]$")
_CONFIG_SUFFIXES = ("js", "mjs", "cjs", "ts", "mts")
_BASE_PATH = re.compile(r"""basePath\s*:\s*(['"`])(/[^'"`$]*)\1""")


class NextDiscoverer:
    """Finds Next.js API routes from file paths and exports."""

    name: str = "nextjs"
    languages: tuple[str, ...] = JS_LANGUAGES

    def discover(self, project: Project) -> Iterator[Route]:
        """Every API route of every Next.js app in the project."""
        values: Values | None = None
        apps = _NextApps(project.root)
        for file in js_files(project):
            found = _api_path(apps, file.path)
            if found is not None:
                values = values or Values(project)
                kind, path = found
                yield from (_app_routes if kind == "app" else _pages_routes)(values, file, path)


def _api_path(apps: _NextApps, path: str) -> tuple[str, str] | None:
    """(`pages` or `app`, URL path) for a file Next.js serves as an API route, else None."""
    if _PAGE_FILE.search(path) is not None:
        for match in _PAGES.finditer(path):
            folder = path[: match.start()].strip("/")
            if apps.holds(folder):
                rest = _PAGE_FILE.sub("", path[match.end() :]).split("/")
                segments = ["api", *rest[:-1], *([] if rest[-1] == "index" else rest[-1:])]
                return _url(apps.base_path(folder), segments)
    if _ROUTE_FILE.search(path) is not None:
        for match in _APP.finditer(path):
            folder = path[: match.start()].strip("/")
            if apps.holds(folder):
                return _url(apps.base_path(folder), path[match.end() :].split("/")[:-1], "app")
    return None


def _url(base: str, segments: list[str], kind: str = "pages") -> tuple[str, str] | None:
    """Folder names to a path template; None when a `_private` folder opts out of routing."""
    parts = [base]
    for segment in segments:
        if kind == "app" and segment.startswith("_"):
            return None
        if (segment.startswith("(") and segment.endswith(")")) or segment.startswith("@"):
            continue
        param = _CATCH_ALL.match(segment) or _DYNAMIC.match(segment)
        parts.append("{" + param.group(1) + "}" if param else segment)
    return kind, join_paths(*parts)


class _NextApps:
    """Which folders of one checkout are Next.js apps, each folder read once per discovery."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._known: dict[str, bool] = {}

    def holds(self, folder: str) -> bool:
        """A folder with a `next.config.*`, or a package.json depending on `next`."""
        if folder not in self._known:
            self._known[folder] = _is_next_app(self.root / folder)
        return self._known[folder]

    def base_path(self, folder: str) -> str:
        """The app's `basePath` from its next.config, which every route is served under."""
        for ext in _CONFIG_SUFFIXES:
            try:
                text = (self.root / folder / f"next.config.{ext}").read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            found = _BASE_PATH.search(text)
            return found.group(2) if found else ""
        return ""


def _is_next_app(base: Path) -> bool:
    if any((base / f"next.config.{ext}").is_file() for ext in _CONFIG_SUFFIXES):
        return True
    try:
        package = json.loads((base / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    sections = ("dependencies", "devDependencies", "peerDependencies")
    return isinstance(package, dict) and any("next" in (package.get(s) or {}) for s in sections)


def _app_routes(values: Values, file: SourceFile, path: str) -> Iterator[Route]:
    """One route per exported HTTP method function of an App Router `route.ts`."""
    for method in APP_ROUTE_METHODS:
        binding = values.modules.export(file.path, method)
        if binding is None:
            continue
        target = values.export(file.path, method)
        local = isinstance(target, Ref) and target.path == file.path
        name = _declared_name(target.node) if isinstance(target, Ref) and local else None
        name = name or (_declared_name(binding.node) if binding.path == file.path else None)
        line = _declaration_line(binding.node)
        yield Route(path, method, file.path, line, name or method, "nextjs")


def _pages_routes(values: Values, file: SourceFile, path: str) -> Iterator[Route]:
    """The default export of a `pages/api` file: per method it checks, or `ANY`."""
    binding = values.modules.export(file.path, "default")
    binding = binding or values.modules.commonjs_value(file.path)
    if binding is None:
        return
    handler, function = _handler(values, file, binding.node)
    if binding.kind == "declaration":
        name = binding.node.child_by_field_name("name")
        handler, function = (file.text(name) if name is not None else "anonymous"), binding.node
    line = _declaration_line(function or binding.node)
    methods = declared_methods(values, file, binding.node)
    if not methods:
        yield Route(path, ANY_METHOD, file.path, line, handler, "nextjs")
    for method, (at, declared) in sorted(methods.items()):
        yield Route(path, method, file.path, at or line, declared or handler, "nextjs")


def _handler(values: Values, file: SourceFile, node: Node) -> tuple[str, Node | None]:
    """The handler's name and, when declared in this file, its function.

    `withAuth(handler)` is `handler`; `NextAuth(options)` is `NextAuth`: options are no handler.
    """
    node = unwrap(node)
    candidates = reversed(call_arguments(node)) if node.type == "call_expression" else [node]
    for candidate in candidates:
        value = values.value(file.path, candidate)
        if isinstance(value, Ref) and value.node.type in FUNCTION_TYPES:
            local = value.node if value.path == file.path else None
            return handler_name(file, candidate), local
    callee = node.child_by_field_name("function") if node.type == "call_expression" else None
    return handler_name(file, callee if callee is not None else node), None


def _declared_name(node: Node) -> str | None:
    """A function's own name, or the name of the `const` holding a value: `handler` for
    `export { handler as POST }`."""
    name = node.child_by_field_name("name") if node.type in FUNCTION_TYPES else None
    holder = node.parent if name is None else None
    if holder is not None and holder.type == "variable_declarator":
        name = holder.child_by_field_name("name")
    return (
        name.text.decode(errors="replace") if name is not None and name.text is not None else None
    )


def _declaration_line(node: Node) -> int:
    """The line of the statement that exports or declares a handler."""
    holder = node
    while holder.parent is not None and holder.parent.type != "program":
        holder = holder.parent
    return line_of(holder if holder.type != "program" else node)


DISCOVERERS: tuple[Discoverer, ...] = (NextDiscoverer(),)
