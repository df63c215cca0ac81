"""Laravel (and Lumen): `Route::` facade chains and `$router->` calls, groups and loaded files.

Handlers are written `UserController@show`, as `artisan route:list` prints them (short class
name); an invokable controller is `ShowProfile@__invoke`, a closure `anonymous`, `Route::view`
`view` and `Route::redirect` `redirect`. Optional parameters lose their `?` and bindings their
key (`{post:slug}` → `{post}`). Routes whose path is computed at run time are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from tree_sitter import Node

from apiscope.analysis.discovery.base import Discoverer
from apiscope.analysis.discovery.laravel_declarations import auth_routes, declare
from apiscope.analysis.discovery.laravel_files import (
    DEFAULT_API_PREFIX,
    INCLUDES,
    RouteFiles,
    loaded_path,
    routing_paths,
)
from apiscope.analysis.discovery.paths import join_paths
from apiscope.analysis.discovery.php_ast import (
    Link,
    array_items,
    call_chain,
    class_name,
    line_of,
    php_files,
    string_value,
    use_aliases,
)
from apiscope.analysis.discovery.project import Project, SourceFile
from apiscope.analysis.routes import Route

FRAMEWORK = "laravel"
ROUTERS = frozenset({"Route", "$router"})
_MARKERS = (b"Route::", b"$router->", b"withRouting", b"loadRoutesFrom", b"Auth::routes")
_CLOSURES = frozenset({"anonymous_function", "arrow_function"})
_OPTIONAL = re.compile(r"\{([A-Za-z_]\w*)\?\}")
_BOUND = re.compile(r"\{([A-Za-z_]\w*):[^}?]*(\?)?\}")


def laravel_path(path: str) -> str:
    """`/posts/{post:slug}/{page?}/` → `/posts/{post}/{page}`: Laravel trims slashes too."""
    path = _OPTIONAL.sub(r"{\1}", _BOUND.sub(r"{\1}", path))
    return path.rstrip("/") or "/"


@dataclass(frozen=True)
class Group:
    """What enclosing groups give a route: the URL prefix and `Route::controller(...)`."""

    prefix: str = "/"
    controller: str | None = None


@dataclass
class LaravelWalk:
    """One walk over the route files, loaded files walked from where they are loaded."""

    files: RouteFiles
    routes: list[Route] = field(default_factory=list)
    walking: list[str] = field(default_factory=list)
    aliases: dict[str, dict[str, str]] = field(default_factory=dict)
    """Each file's `use ... as Alias` imports, so handlers name the real controller class."""

    def walk_file(self, file: SourceFile, group: Group) -> None:
        """Declare every route of a file under `group` (a file loading itself is skipped)."""
        if file.path in self.walking:
            return
        self.walking.append(file.path)
        self.walk(file, file.root, group)
        self.walking.pop()

    def walk(self, file: SourceFile, node: Node, group: Group) -> None:
        """Declare the routes in a subtree: router chains, loaded files, and what they enclose."""
        if node.type in INCLUDES and node.named_children:
            self._load(file, node.named_children[-1], group)
            return
        chain = call_chain(file, node) if node.type.endswith("call_expression") else None
        if chain is not None and chain[1]:
            root, links = chain
            if root in ROUTERS:
                self._chain(file, links, group)
                return
            if root == "Auth" and links[-1].name == "routes":
                confirm = self.files.exists("ConfirmPasswordController.php")
                self._add(file, line_of(node), group, auth_routes(file, links[-1], confirm))
                return
            if links[-1].name == "loadRoutesFrom":
                self._load(file, links[-1].arg(0), group)
                return
            if links[-1].name == "withRouting":
                self._with_routing(file, links[-1])
        for child in node.named_children:
            self.walk(file, child, group)

    def _load(self, file: SourceFile, path: Node | None, group: Group) -> None:
        target = self.files.target(file, path)
        if target is not None:
            self.walk_file(target, group)

    def _chain(self, file: SourceFile, links: list[Link], group: Group) -> None:
        """`Route::prefix('a')->controller(C::class)->group(...)`, `Route::get(...)->name(...)`."""
        for index, link in enumerate(links):
            if link.name == "prefix":
                prefix = string_value(file, link.arg(0))
                if prefix is None:
                    return
                group = replace(group, prefix=join_paths(group.prefix, prefix))
            elif link.name == "controller":
                group = replace(group, controller=_controller(file, link.arg(0)))
            elif link.name == "group":
                self._group(file, link, group)
                return
            else:
                found = declare(file, link, links[index + 1 :], group.controller)
                if found is not None:
                    self._add(file, line_of(link.node), group, found)
                    return

    def _add(
        self, file: SourceFile, line: int, group: Group, found: list[tuple[str, str, str]]
    ) -> None:
        if file.path not in self.aliases:
            self.aliases[file.path] = use_aliases(file)
        aliases = self.aliases[file.path]
        for method, path, handler in found:
            owner, at, action = handler.partition("@")
            named = aliases.get(owner, owner) + at + action
            full = laravel_path(join_paths(group.prefix, path))
            self.routes.append(Route(full, method, file.path, line, named, FRAMEWORK))

    def _group(self, file: SourceFile, link: Link, group: Group) -> None:
        """`group(function () {...})`, `group(['prefix' => 'v1'], ...)` or `group(<file>)`."""
        for key, value in array_items(file, link.arg(0)) or ():
            if key == "prefix":
                prefix = string_value(file, value)
                if prefix is None:
                    return
                group = replace(group, prefix=join_paths(group.prefix, prefix))
            elif key == "controller":
                group = replace(group, controller=_controller(file, value))
        positional = [value for key, value in link.args if key is None]
        body = positional[-1] if positional else None
        if body is not None and body.type in _CLOSURES:
            inner = body.child_by_field_name("body")
            self.walk(file, inner if inner is not None else body, group)
        elif body is not None:
            self._load(file, loaded_path(link), group)

    def _with_routing(self, file: SourceFile, link: Link) -> None:
        """Laravel 11's `bootstrap/app.php`: `web:` at the root, `api:` under `apiPrefix`."""
        api_prefix = string_value(file, link.named("apiPrefix")) or DEFAULT_API_PREFIX
        for key, prefix in (("web", "/"), ("api", join_paths(api_prefix))):
            for path in routing_paths(link.named(key)):
                self._load(file, path, Group(prefix))
        health = link.named("health")
        health_path = string_value(file, health)
        if health is not None and health_path is not None:
            self._add(file, line_of(health), Group(), [("GET", health_path, "health")])


def _controller(file: SourceFile, node: Node | None) -> str | None:
    name = class_name(file, node) or string_value(file, node)
    return name.rsplit("\\", 1)[-1] if name else None


def default_group(file: SourceFile) -> Group:
    """A file nothing loads: `routes/api.php` is served under `/api`, the rest at the root."""
    path = file.path.lower()
    api = path == "routes/api.php" or path.endswith("/routes/api.php")
    return Group("/api" if api else "/")


class LaravelDiscoverer:
    """Routes declared through Laravel's router."""

    name = FRAMEWORK
    languages: tuple[str, ...] = ("php",)

    def discover(self, project: Project) -> Iterator[Route]:
        """Walk every route file nothing else loads; loaded files follow from their loaders."""
        files = [f for f in php_files(project, *_MARKERS) if not f.path.endswith(".blade.php")]
        route_files = RouteFiles(project, files)
        loaded = route_files.loaded()
        walk = LaravelWalk(route_files)
        for file in (f for f in files if f.path not in loaded):
            walk.walk_file(file, default_group(file))
        yield from walk.routes


DISCOVERERS: tuple[Discoverer, ...] = (LaravelDiscoverer(),)
