"""PHP syntax as route declarations use it: strings, arrays, call chains and attributes.

Laravel declares routes as fluent chains (`Route::prefix('admin')->middleware('auth')->group(...)`)
and Symfony as attributes (`#[Route('/blog/{slug}', methods: ['GET'])]`); both read string and
array literals. This module flattens a chain into its links and literals into Python values.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tree_sitter import Node

from apiscope.analysis.discovery.project import Project, SourceFile

_TEST_FOLDERS = frozenset({"test", "tests", "Test", "Tests", "spec", "specs"})
_TEST_FILE = re.compile(r"(Test|Cest)\.php$")
_CALLS = frozenset({"member_call_expression", "nullsafe_member_call_expression",
                    "scoped_call_expression"})  # fmt: skip
_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\", '"': '"', "$": "$", "'": "'"}


def is_test_path(path: str) -> bool:
    """PHPUnit and Pest tests call `$this->get('/x')`: requests, not routes."""
    *folders, name = path.split("/")
    return bool(_TEST_FOLDERS.intersection(folders)) or bool(_TEST_FILE.search(name))


def php_files(project: Project, *markers: bytes) -> Iterator[SourceFile]:
    """Non-test PHP files whose bytes mention one of `markers` (a cheap pre-filter)."""
    for file in project.of("php"):
        if any(m in file.source for m in markers) and not is_test_path(file.path):
            yield file


def line_of(node: Node) -> int:
    """The 1-based line a node starts on."""
    return node.start_point.row + 1


def string_value(file: SourceFile, node: Node | None) -> str | None:
    """The value of a quoted string without interpolation; None for anything else."""
    if node is None or node.type not in ("string", "encapsed_string"):
        return None
    pieces: list[str] = []
    for part in node.named_children:
        if part.type == "string_content":
            pieces.append(file.text(part))
        elif part.type == "escape_sequence":
            text = file.text(part)
            pieces.append(_ESCAPES.get(text[1:], text))
        else:
            return None
    return "".join(pieces)


def class_name(file: SourceFile, node: Node | None) -> str | None:
    """`UserController::class` or `\\App\\Http\\UserController::class` → `UserController`."""
    if node is None or node.type != "class_constant_access_expression":
        return None
    parts = node.named_children
    if len(parts) != 2 or file.text(parts[1]) != "class":
        return None
    return short_class(file.text(parts[0]))


def short_class(name: str) -> str:
    """`App\\Http\\Controllers\\UserController` → `UserController`."""
    return name.rsplit("\\", 1)[-1]


def use_aliases(file: SourceFile) -> dict[str, str]:
    """`use App\\Admin\\UserController as AdminUserController;` → {alias: `UserController`}."""
    aliases: dict[str, str] = {}
    for clause in _use_clauses(file.root):
        alias = clause.child_by_field_name("alias")
        name = next(
            (c for c in clause.named_children if c.type in ("qualified_name", "name")), None
        )
        if alias is not None and name is not None and name != alias:
            aliases[file.text(alias)] = short_class(file.text(name))
    return aliases


def _use_clauses(node: Node) -> Iterator[Node]:
    for child in node.named_children:
        if child.type == "namespace_use_clause":
            yield child
        elif child.type in (
            "namespace_use_declaration",
            "namespace_use_group",
            "namespace_definition",
            "compound_statement",
        ):
            yield from _use_clauses(child)


def array_items(file: SourceFile, node: Node | None) -> list[tuple[str | None, Node]] | None:
    """`['prefix' => 'v1', 'x']` as (key or None, value node) pairs; None if not an array."""
    if node is None or node.type != "array_creation_expression":
        return None
    items: list[tuple[str | None, Node]] = []
    for element in (c for c in node.named_children if c.type == "array_element_initializer"):
        parts = element.named_children
        if len(parts) == 2:
            items.append((string_value(file, parts[0]), parts[1]))
        elif parts:
            items.append((None, parts[0]))
    return items


def strings(file: SourceFile, node: Node | None) -> list[str] | None:
    """`'a'` or `['a', 'b']` as a list of strings; None when anything is computed."""
    single = string_value(file, node)
    if single is not None:
        return [single]
    items = array_items(file, node)
    if items is None:
        return None
    values = [string_value(file, value) for _, value in items]
    return None if None in values else [v for v in values if v is not None]


@dataclass(frozen=True)
class Link:
    """One call in a fluent chain: `prefix('admin')` in `Route::prefix('admin')->group(...)`."""

    name: str
    args: tuple[tuple[str | None, Node], ...]
    node: Node

    def named(self, name: str) -> Node | None:
        """The argument named `name` (`apiPrefix: 'v1'`), if given."""
        return next((v for k, v in self.args if k == name), None)

    def arg(self, index: int, name: str | None = None) -> Node | None:
        """The argument at `index` among the positional ones, or the one named `name`."""
        named = self.named(name) if name is not None else None
        if named is not None:
            return named
        positional = [v for k, v in self.args if k is None]
        return positional[index] if index < len(positional) else None


def call_chain(file: SourceFile, node: Node) -> tuple[str, list[Link]] | None:
    """`Route::a()->b()` → (`Route`, [a, b]); `$router->get()` → (`$router`, [get])."""
    links: list[Link] = []
    while node.type in _CALLS:
        name = node.child_by_field_name("name")
        arguments = _arguments(file, node.child_by_field_name("arguments"))
        links.append(Link(file.text(name) if name else "", arguments, node))
        inner = node.child_by_field_name(
            "scope" if node.type == "scoped_call_expression" else "object"
        )
        if inner is None:
            return None
        if node.type == "scoped_call_expression":
            return short_class(file.text(inner)), links[::-1]
        node = inner
    if node.type == "variable_name":
        return file.text(node), links[::-1]
    return None


def _arguments(file: SourceFile, arguments: Node | None) -> tuple[tuple[str | None, Node], ...]:
    found: list[tuple[str | None, Node]] = []
    for argument in arguments.named_children if arguments is not None else ():
        if argument.type != "argument" or not argument.named_children:
            continue
        name = argument.child_by_field_name("name")
        found.append((file.text(name) if name is not None else None, argument.named_children[-1]))
    return tuple(found)


def attribute_arguments(file: SourceFile, attribute: Node) -> Link:
    """A PHP 8 attribute `#[Route('/x', methods: ['GET'])]` read like a call."""
    name = next((c for c in attribute.named_children if c.type in ("name", "qualified_name")), None)
    args = _arguments(file, attribute.child_by_field_name("parameters"))
    return Link(short_class(file.text(name)) if name is not None else "", args, attribute)


def attributes_of(file: SourceFile, declaration: Node) -> list[Link]:
    """The attributes written on a class or method declaration, in order."""
    lists = declaration.child_by_field_name("attributes")
    groups = lists.named_children if lists is not None else []
    return [
        attribute_arguments(file, a)
        for group in groups
        for a in group.named_children
        if a.type == "attribute"
    ]
