"""C# declarations as ASP.NET Core routing reads them: classes, methods, attributes, strings.

Route templates are often literals, but also `const string` fields (`ApiRoutes.Posts.Get`),
concatenations and interpolations of them; `Constants` evaluates those across the project.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from tree_sitter import Node

from apiscope.analysis.discovery.project import Project, SourceFile

_TEST_FOLDER = re.compile(r"^(?i:tests?|specs?)$|Tests?$|\.Specs?$")
"""`tests/`, `Shop.Api.Tests/`, `UnitTests/` (capital T, so `Latest/` is not a test folder)."""
_TEST_FILE = re.compile(r"Tests?\.cs$")
_CONTAINERS = frozenset(
    {"namespace_declaration", "file_scoped_namespace_declaration", "declaration_list"}
)
CLASS_NODES = frozenset({"class_declaration", "record_declaration"})


def is_test_path(path: str) -> bool:
    """Test projects (`tests/`, `Shop.Api.Tests/`) call `GetAsync`: they declare no routes."""
    *folders, name = path.split("/")
    return any(_TEST_FOLDER.search(f) for f in folders) or bool(_TEST_FILE.search(name))


def csharp_files(project: Project, *markers: bytes) -> Iterator[SourceFile]:
    """Non-test C# files whose bytes mention one of `markers` (a cheap pre-filter)."""
    for file in project.of("csharp"):
        if any(m in file.source for m in markers) and not is_test_path(file.path):
            yield file


def line_of(node: Node) -> int:
    """The 1-based line a node starts on."""
    return node.start_point.row + 1


def simple_name(text: str) -> str:
    """`Microsoft.AspNetCore.Mvc.HttpGetAttribute` → `HttpGet`; `Base<T>` → `Base`."""
    name = text.split("<", 1)[0].rsplit(".", 1)[-1].strip()
    return name.removesuffix("Attribute") if name != "Attribute" else name


@dataclass(frozen=True)
class Attribute:
    """`[Name(args)]`: arguments as (name or None for positional, value node)."""

    name: str
    node: Node
    args: tuple[tuple[str | None, Node], ...] = ()

    @property
    def line(self) -> int:
        """The 1-based line of the attribute."""
        return line_of(self.node)

    def positional(self) -> list[Node]:
        """The arguments given without a name."""
        return [value for key, value in self.args if key is None]

    def named(self, key: str) -> Node | None:
        """The argument named `key` (`Name = "x"` or `template: "x"`), if any."""
        return next((value for name, value in self.args if name == key), None)


def attributes(file: SourceFile, declaration: Node) -> list[Attribute]:
    """The attributes written on a class or method declaration, in order."""
    found: list[Attribute] = []
    for group in (c for c in declaration.named_children if c.type == "attribute_list"):
        for node in (c for c in group.named_children if c.type == "attribute"):
            name = node.child_by_field_name("name")
            argument_list = next((c for c in node.named_children if c.type.endswith("list")), None)
            arguments = argument_list.named_children if argument_list is not None else []
            args = tuple(_argument(file, a) for a in arguments if a.type == "attribute_argument")
            found.append(Attribute(simple_name(file.text(name)) if name else "", node, args))
    return found


def _argument(file: SourceFile, node: Node) -> tuple[str | None, Node]:
    key = node.child_by_field_name("name")
    value = node.named_children[-1]
    return (file.text(key) if key is not None else None), value


def modifiers(file: SourceFile, declaration: Node) -> set[str]:
    """`public`, `static`, `abstract`, ... of a declaration."""
    return {file.text(c) for c in declaration.named_children if c.type == "modifier"}


def declared_name(file: SourceFile, declaration: Node) -> str:
    """The declared name of a class, method or field."""
    name = declaration.child_by_field_name("name")
    return file.text(name) if name is not None else ""


def classes(
    file: SourceFile, node: Node, outer: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], Node]]:
    """Every class (nested ones too) with the names of the classes around it."""
    for child in node.named_children:
        if child.type in CLASS_NODES:
            yield outer, child
            body = child.child_by_field_name("body")
            if body is not None:
                yield from classes(file, body, (*outer, declared_name(file, child)))
        elif child.type in _CONTAINERS:
            yield from classes(file, child, outer)


def base_types(file: SourceFile, declaration: Node) -> list[str]:
    """The simple names after `:` in a class declaration, generic arguments dropped."""
    base_list = next((c for c in declaration.named_children if c.type == "base_list"), None)
    if base_list is None:
        return []
    return [
        simple_name(file.text(c)) for c in base_list.named_children if c.type != "argument_list"
    ]


@dataclass
class Constants:
    """`const string` values declared anywhere in the project, by `Class.Name` and `Name`."""

    values: dict[str, str] = field(default_factory=dict)

    @classmethod
    def collect(cls, files: list[SourceFile]) -> Constants:
        """Evaluate every string constant; constants built from constants take a few passes."""
        constants = cls()
        pending = [d for f in files for d in _const_declarators(f)]
        for _ in range(4):
            for file, outer, name, value in pending:
                result = constants.evaluate(file, value, outer)
                if result is not None:
                    for key in _keys(outer, name):
                        constants.values.setdefault(key, result)
        return constants

    def evaluate(
        self, file: SourceFile, node: Node | None, outer: tuple[str, ...] = ()
    ) -> str | None:
        """The string a route template expression stands for; None when it is not constant."""
        if node is None:
            return None
        kind = node.type
        if kind in ("string_literal", "verbatim_string_literal", "raw_string_literal"):
            return string_literal(file, node)
        if kind == "interpolated_string_expression":
            return self._interpolated(file, node, outer)
        if kind == "binary_expression" and node.child_by_field_name("operator") is not None:
            left = self.evaluate(file, node.child_by_field_name("left"), outer)
            right = self.evaluate(file, node.child_by_field_name("right"), outer)
            return left + right if left is not None and right is not None else None
        if kind in ("identifier", "member_access_expression"):
            return self._lookup(re.sub(r"\s+", "", file.text(node)), outer)
        if kind == "parenthesized_expression" and node.named_children:
            return self.evaluate(file, node.named_children[0], outer)
        return None

    def _lookup(self, name: str, outer: tuple[str, ...]) -> str | None:
        for depth in range(len(outer), -1, -1):
            scoped = ".".join((*outer[:depth], name))
            if scoped in self.values:
                return self.values[scoped]
        parts = name.split(".")
        return next((self.values[k] for i in range(len(parts)) if (k := ".".join(parts[i:])) in
                     self.values), None)  # fmt: skip

    def _interpolated(self, file: SourceFile, node: Node, outer: tuple[str, ...]) -> str | None:
        pieces: list[str] = []
        for child in node.named_children:
            if child.type == "string_content":
                pieces.append(file.text(child).replace("{{", "{").replace("}}", "}"))
            elif child.type == "interpolation":
                inner = next(
                    (c for c in child.named_children if c.type != "interpolation_brace"), None
                )
                value = self.evaluate(file, inner, outer)
                if value is None:
                    return None
                pieces.append(value)
        return "".join(pieces)


def _keys(outer: tuple[str, ...], name: str) -> list[str]:
    """`ApiRoutes.Posts.Get`, `Posts.Get` and `Get`: the ways code may refer to a constant."""
    return [".".join((*outer[i:], name)) for i in range(len(outer) + 1)]


def _const_declarators(file: SourceFile) -> Iterator[tuple[SourceFile, tuple[str, ...], str, Node]]:
    for outer, cls in classes(file, file.root):
        body = cls.child_by_field_name("body")
        owner = (*outer, declared_name(file, cls))
        for member in body.named_children if body is not None else ():
            if member.type != "field_declaration" or not _is_constant(file, member):
                continue
            declaration = next(c for c in member.named_children if c.type == "variable_declaration")
            for declarator in (
                c for c in declaration.named_children if c.type == "variable_declarator"
            ):
                value = (
                    declarator.named_children[-1] if len(declarator.named_children) > 1 else None
                )
                if value is not None:
                    yield file, owner, declared_name(file, declarator), value


def _is_constant(file: SourceFile, member: Node) -> bool:
    found = modifiers(file, member)
    return "const" in found or {"static", "readonly"} <= found


def string_literal(file: SourceFile, node: Node) -> str | None:
    """The value of `"x"`, `@"x"` or `\"\"\"x\"\"\"`."""
    text = file.text(node)
    if node.type == "verbatim_string_literal":
        return text[2:-1].replace('""', '"')
    if node.type == "raw_string_literal":
        return "".join(file.text(c) for c in node.named_children if c.type == "raw_string_content")
    parts = node.named_children
    if any(p.type not in ("string_literal_content", "escape_sequence") for p in parts):
        return None
    return "".join(file.text(p) for p in parts)
