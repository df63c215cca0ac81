"""Java and Kotlin declarations in one shape: classes, their methods and annotations.

Spring and JAX-RS read annotations the same way in both languages; only the grammars differ, so
the differences are absorbed here and the discoverers see `JvmClass` and `Annotation` records.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tree_sitter import Node

from apiscope.analysis.discovery.project import Project, SourceFile

CLASS_NODES = frozenset(
    {"class_declaration", "interface_declaration", "enum_declaration", "record_declaration",
     "object_declaration", "companion_object"}
)  # fmt: skip
METHOD_NODES = frozenset({"method_declaration", "function_declaration"})
BODY_NODES = frozenset({"class_body", "interface_body", "enum_body", "enum_body_declarations"})
TEST_FOLDERS = frozenset({"test", "tests", "testFixtures", "integrationTest", "androidTest"})
_TEST_FILE = re.compile(r"(Test|Tests|IT|Spec)\.(java|kt)$")


def line_of(node: Node) -> int:
    """The 1-based line a node starts on."""
    return node.start_point.row + 1


@dataclass(frozen=True)
class Annotation:
    """`@Name(args)`: arguments as (key or None for positional, value node)."""

    name: str
    line: int
    args: tuple[tuple[str | None, Node], ...] = ()

    def values(self, *keys: str) -> list[Node]:
        """Positional arguments and those named by one of `keys`."""
        return [value for key, value in self.args if key is None or key in keys]

    def named(self, key: str) -> list[Node]:
        """The arguments named `key`."""
        return [value for name, value in self.args if name == key]


@dataclass(frozen=True)
class JvmMethod:
    """A method or function declared in a class body."""

    name: str
    annotations: tuple[Annotation, ...]

    def annotation(self, *names: str) -> Annotation | None:
        """The first annotation with one of these simple names."""
        return next((a for a in self.annotations if a.name in names), None)


@dataclass(frozen=True)
class JvmClass:
    """A class, interface or object with the methods declared directly in its body."""

    name: str
    annotations: tuple[Annotation, ...]
    methods: tuple[JvmMethod, ...]
    file: SourceFile

    def annotation(self, *names: str) -> Annotation | None:
        """The first annotation with one of these simple names."""
        return next((a for a in self.annotations if a.name in names), None)


def is_test_path(path: str) -> bool:
    """Test sources declare no production routes (`src/test/`, `FooTest.java`)."""
    *folders, name = path.split("/")
    return bool(TEST_FOLDERS.intersection(folders)) or bool(_TEST_FILE.search(name))


def jvm_sources(project: Project, marker: bytes) -> Iterator[SourceFile]:
    """Non-test Java and Kotlin files whose bytes mention `marker` (a cheap pre-filter)."""
    for file in project.of("java", "kotlin"):
        if marker in file.source and not is_test_path(file.path):
            yield file


def jvm_classes(file: SourceFile) -> Iterator[JvmClass]:
    """Every class-like declaration in a file, nested ones included."""
    stack = [file.root]
    while stack:
        node = stack.pop()
        stack.extend(reversed(node.named_children))
        if node.type in CLASS_NODES:
            yield _class(file, node)


def _class(file: SourceFile, node: Node) -> JvmClass:
    methods = tuple(_method(file, m) for m in members(node) if m.type in METHOD_NODES)
    return JvmClass(class_name(file, node), annotations_of(file, node), methods, file)


def class_name(file: SourceFile, node: Node) -> str:
    """A class's name; a Kotlin companion object speaks for its enclosing class."""
    name_node = node.child_by_field_name("name")
    if name_node is not None:
        return file.text(name_node)
    parent = node.parent
    while parent is not None and parent.type not in CLASS_NODES:
        parent = parent.parent
    name_node = parent.child_by_field_name("name") if parent else None
    return file.text(name_node) if name_node else "Companion"


def members(node: Node) -> Iterator[Node]:
    """The declarations in a class body (enum bodies' declarations included)."""
    for child in node.named_children:
        if child.type in BODY_NODES:
            for member in child.named_children:
                yield from members(member) if member.type in BODY_NODES else (member,)


def _method(file: SourceFile, node: Node) -> JvmMethod:
    name_node = node.child_by_field_name("name")
    return JvmMethod(file.text(name_node) if name_node else "", annotations_of(file, node))


def annotations_of(file: SourceFile, declaration: Node) -> tuple[Annotation, ...]:
    """The annotations in a declaration's modifiers, in source order."""
    found: list[Annotation] = []
    for modifiers in (c for c in declaration.children if c.type == "modifiers"):
        for node in modifiers.named_children:
            if node.type in ("annotation", "marker_annotation"):
                found.append(_annotation(file, node))
    return tuple(a for a in found if a.name)


def _annotation(file: SourceFile, node: Node) -> Annotation:
    name = node.child_by_field_name("name")
    if name is not None:  # Java
        arguments = node.child_by_field_name("arguments")
        args = _java_args(file, arguments) if arguments else ()
        return Annotation(file.text(name).rsplit(".", 1)[-1], line_of(node), args)
    invocation = next((c for c in node.named_children if c.type == "constructor_invocation"), node)
    user_type = next((c for c in invocation.named_children if c.type == "user_type"), None)
    simple = file.text(user_type).rsplit(".", 1)[-1] if user_type else ""
    arguments = next((c for c in invocation.named_children if c.type == "value_arguments"), None)
    return Annotation(simple.strip(), line_of(node), _kotlin_args(file, arguments))


def _java_args(file: SourceFile, arguments: Node) -> tuple[tuple[str | None, Node], ...]:
    args: list[tuple[str | None, Node]] = []
    for child in arguments.named_children:
        key, value = child.child_by_field_name("key"), child.child_by_field_name("value")
        if child.type == "element_value_pair" and key and value:
            args.append((file.text(key), value))
        elif child.type != "comment":
            args.append((None, child))
    return tuple(args)


def _kotlin_args(file: SourceFile, arguments: Node | None) -> tuple[tuple[str | None, Node], ...]:
    args: list[tuple[str | None, Node]] = []
    for argument in arguments.named_children if arguments else ():
        parts = [c for c in argument.children if c.is_named or c.type == "="]
        if len(parts) >= 3 and parts[1].type == "=":
            args.append((file.text(parts[0]), parts[2]))
        elif parts:
            args.append((None, parts[-1]))
    return tuple(args)
