"""Which Laravel route file is loaded where, and under which prefix.

Route files are loaded by `require __DIR__.'/auth.php'`, by `->group(base_path('routes/api.php'))`
in a `RouteServiceProvider`, by `$this->loadRoutesFrom(...)` in a package provider, and by
`withRouting(web: ..., api: ..., apiPrefix: 'api')` in Laravel 11's `bootstrap/app.php`. A file
loaded that way is walked from its loader, with the loader's prefix; a file nothing loads is
walked on its own, `routes/api.php` under `/api` as Laravel's default skeleton serves it.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from tree_sitter import Node

from apiscope.analysis.discovery.php_ast import Link, call_chain, string_value
from apiscope.analysis.discovery.project import Project, SourceFile

INCLUDES = frozenset(
    {"require_expression", "require_once_expression", "include_expression",
     "include_once_expression"}
)  # fmt: skip
LOADERS = frozenset({"group", "loadRoutesFrom"})
DEFAULT_API_PREFIX = "api"


class RouteFiles:
    """Resolves the path expressions of route loaders to project files."""

    def __init__(self, project: Project, files: list[SourceFile]) -> None:
        self.project = project
        self.files = files
        self.by_path = {f.path: f for f in project.of("php")}

    def target(self, file: SourceFile, node: Node | None) -> SourceFile | None:
        """The project file a path expression names (`__DIR__.'/x.php'`, `base_path('...')`)."""
        path = self._evaluate(file, node) if node is not None else None
        if path is None:
            return None
        for candidate in (path, posixpath.join(posixpath.dirname(file.path), path)):
            found = self.by_path.get(posixpath.normpath(candidate).lstrip("/"))
            if found is not None:
                return found
        return None

    def _evaluate(self, file: SourceFile, node: Node) -> str | None:
        if node.type in ("string", "encapsed_string"):
            return string_value(file, node)
        if node.type == "binary_expression":
            left = self._evaluate(file, node.child_by_field_name("left") or node)
            right = self._evaluate(file, node.child_by_field_name("right") or node)
            return left + right if left is not None and right is not None else None
        if node.type == "name" and file.text(node) == "__DIR__":
            return posixpath.dirname(file.path) or "."
        if node.type == "parenthesized_expression" and node.named_children:
            return self._evaluate(file, node.named_children[0])
        if node.type == "function_call_expression":
            return self._function(file, node)
        return None

    def _function(self, file: SourceFile, node: Node) -> str | None:
        """`dirname(__DIR__)`, `base_path('routes/x.php')`, `app_path('Http/routes.php')`, and
        nwidart's `module_path('Blog', '/Routes/api.php')`."""
        function = node.child_by_field_name("function")
        arguments = node.child_by_field_name("arguments")
        nodes = [a.named_children[-1] for a in arguments.named_children] if arguments else []
        args = [self._evaluate(file, n) for n in nodes]
        name = file.text(function) if function is not None else ""
        if None in args:
            return None
        values = [a for a in args if a is not None] or [""]
        if name == "dirname":
            return posixpath.dirname(values[0])
        folders = {"base_path": "", "app_path": "app", "resource_path": "resources"}
        if name in folders:
            return posixpath.join(self.base(file), folders[name], values[0].lstrip("/"))
        if name == "module_path" and len(values) == 2:
            module, inner = values
            return posixpath.join(self.base(file), "Modules", module, inner.lstrip("/"))
        return None

    def exists(self, name: str) -> bool:
        """Whether the project has a PHP file of this name (`ConfirmPasswordController.php`)."""
        return any(path.rsplit("/", 1)[-1] == name for path in self.by_path)

    def base(self, file: SourceFile) -> str:
        """The Laravel application folder around a file: the nearest one holding `artisan`."""
        folder = posixpath.dirname(file.path)
        while folder:
            if (self.project.root / folder / "artisan").is_file():
                return folder
            folder = posixpath.dirname(folder)
        return ""

    def loaded(self) -> set[str]:
        """The paths of files some loader walks, so they are not walked on their own as well."""
        found: set[str] = set()
        for file in self.files:
            for _, node in loader_sites(file, file.root):
                target = self.target(file, node)
                if target is not None and target.path != file.path:
                    found.add(target.path)
        return found


def loader_sites(file: SourceFile, node: Node) -> Iterator[tuple[Node, Node]]:
    """Every (loading expression, path expression) pair in a subtree."""
    if node.type in INCLUDES and node.named_children:
        yield node, node.named_children[-1]
    elif node.type in ("member_call_expression", "scoped_call_expression"):
        chain = call_chain(file, node)
        last = chain[1][-1] if chain and chain[1] else None
        if last is not None and last.name in LOADERS:
            path = loaded_path(last)
            if path is not None:
                yield node, path
        if last is not None and last.name == "withRouting":
            for key in ("web", "api"):
                for value in routing_paths(last.named(key)):
                    yield node, value
    for child in node.named_children:
        yield from loader_sites(file, child)


def loaded_path(link: Link) -> Node | None:
    """The file a `group(...)` or `loadRoutesFrom(...)` loads; None when it runs a closure."""
    positional = [value for key, value in link.args if key is None]
    path = positional[-1] if positional else None
    if path is None or path.type in ("anonymous_function", "arrow_function"):
        return None
    return None if path.type == "array_creation_expression" else path


def routing_paths(node: Node | None) -> list[Node]:
    """`web: __DIR__.'/../routes/web.php'` or `web: [..., ...]`: the path expressions."""
    if node is None:
        return []
    if node.type == "array_creation_expression":
        return [e.named_children[-1] for e in node.named_children if e.named_children]
    return [node]
