"""Go source as the router discoverers read it: imports, string constants, declared types, and
function declarations, indexed by package folder so calls and constants resolve across files."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from tree_sitter import Node

from apiscope.analysis.discovery.project import SourceFile

_VERSION = re.compile(r"v\d+")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "'": "'"}


def line_of(node: Node) -> int:
    """The 1-based line a node starts on."""
    return node.start_point.row + 1


def package_dir(file: SourceFile) -> str:
    """A Go package is a folder: files in one folder share constants and functions."""
    return posixpath.dirname(file.path)


def child(node: Node, kind: str) -> Node | None:
    """The first named child of a kind."""
    return next((c for c in node.named_children if c.type == kind), None)


def default_import_name(path: str) -> str:
    """The name a package is used by: `.../echo/v4` → `echo`, `gopkg.in/yaml.v2` → `yaml`."""
    segments = path.split("/")
    last = segments[-2] if len(segments) > 1 and _VERSION.fullmatch(segments[-1]) else segments[-1]
    return last.split(".")[0].removeprefix("go-").removesuffix("-go").replace("-", "")


def imports(file: SourceFile) -> dict[str, str]:
    """Local package name → import path, for one file."""
    found: dict[str, str] = {}
    for spec in _descendants_of_type(file.root, "import_spec", stop="function_declaration"):
        path_node, name_node = spec.child_by_field_name("path"), spec.child_by_field_name("name")
        path = file.text(path_node).strip('"`') if path_node else ""
        name = file.text(name_node) if name_node else default_import_name(path)
        if path and name not in ("_", "."):
            found[name] = path
    return found


def type_name(file: SourceFile, node: Node | None) -> tuple[str, str]:
    """(package qualifier or "", type name) of a type, pointers and generics looked through."""
    while node is not None and node.type in ("pointer_type", "generic_type", "parenthesized_type"):
        node = node.named_children[-1] if node.type == "pointer_type" else node.named_children[0]
    if node is None:
        return "", ""
    if node.type == "qualified_type":
        package, name = node.child_by_field_name("package"), node.child_by_field_name("name")
        return (file.text(package) if package else ""), (file.text(name) if name else "")
    return ("", file.text(node)) if node.type == "type_identifier" else ("", "")


@dataclass(frozen=True)
class Parameter:
    """One declared parameter: its name (may be empty) and type."""

    name: str
    type: Node | None


@dataclass(frozen=True)
class GoFunction:
    """A function or method declaration."""

    file: SourceFile
    node: Node
    name: str
    receiver: str
    """The receiver's type name for a method, "" for a function."""

    @cached_property
    def params(self) -> tuple[Parameter, ...]:
        """The parameters, one per name (`a, b int` is two)."""
        return parameters(self.file, self.node.child_by_field_name("parameters"))

    @property
    def results(self) -> tuple[Node, ...]:
        """The declared result types."""
        result = self.node.child_by_field_name("result")
        if result is None:
            return ()
        if result.type != "parameter_list":
            return (result,)
        return tuple(p.type for p in parameters(self.file, result) if p.type is not None)

    @property
    def body(self) -> Node | None:
        """The block, None for a declaration without one."""
        return self.node.child_by_field_name("body")


def parameters(file: SourceFile, plist: Node | None) -> tuple[Parameter, ...]:
    """The parameters of a parameter list, one per declared name."""
    found: list[Parameter] = []
    for declaration in plist.named_children if plist else ():
        kind = declaration.child_by_field_name("type")
        names = declaration.children_by_field_name("name")
        found += [Parameter(file.text(n), kind) for n in names if n.is_named] or [
            Parameter("", kind)
        ]
    return tuple(found)


def functions(file: SourceFile) -> Iterator[GoFunction]:
    """The top-level function and method declarations of a file."""
    for node in file.root.named_children:
        name = node.child_by_field_name("name")
        if node.type not in ("function_declaration", "method_declaration") or name is None:
            continue
        receiver = parameters(file, node.child_by_field_name("receiver"))
        owner = type_name(file, receiver[0].type)[1] if receiver else ""
        yield GoFunction(file, node, file.text(name), owner)


def _descendants_of_type(node: Node, kind: str, stop: str) -> Iterator[Node]:
    for current in node.named_children:
        if current.type == kind:
            yield current
        elif current.type != stop:
            yield from _descendants_of_type(current, kind, stop)


class GoPackages:
    """The project's Go packages: string constants and package lookup by import path."""

    def __init__(self, files: list[SourceFile]) -> None:
        self.files = files
        self.dirs = sorted({package_dir(f) for f in files})

    @cached_property
    def constants(self) -> dict[tuple[str, str], tuple[SourceFile, Node]]:
        """(package folder, name) → the expression a package-level const or var is set to."""
        table: dict[tuple[str, str], tuple[SourceFile, Node]] = {}
        for file in self.files:
            for spec in _descendants_of_type(file.root, "const_spec", stop="function_declaration"):
                self._add_spec(table, file, spec)
            for spec in (
                s
                for d in file.root.named_children
                if d.type == "var_declaration"
                for s in _descendants_of_type(d, "var_spec", stop="")
            ):
                self._add_spec(table, file, spec)
        return table

    @staticmethod
    def _add_spec(
        table: dict[tuple[str, str], tuple[SourceFile, Node]], file: SourceFile, spec: Node
    ) -> None:
        names = [n for n in spec.children_by_field_name("name") if n.is_named]
        values = spec.child_by_field_name("value")
        for name, value in zip(names, values.named_children if values else (), strict=False):
            table[(package_dir(file), file.text(name))] = (file, value)

    def dir_of_import(self, import_path: str) -> str | None:
        """The project folder an import path names (matched by its trailing segments)."""
        matches = [
            d for d in self.dirs if d and (import_path == d or import_path.endswith("/" + d))
        ]
        return max(matches, key=len) if matches else None

    def string(self, file: SourceFile, node: Node, depth: int = 0) -> str | None:
        """A string expression's value: literals, `+`, and constants; None when computed."""
        kind = node.type
        if kind in ("interpreted_string_literal", "raw_string_literal"):
            return _literal(file.text(node))
        if kind == "binary_expression" and depth < 20:
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            parts = [self.string(file, p, depth + 1) if p else None for p in (left, right)]
            return None if None in parts else "".join(p or "" for p in parts)
        if kind == "parenthesized_expression" and node.named_children:
            return self.string(file, node.named_children[0], depth + 1)
        if kind in ("identifier", "selector_expression") and depth < 20:
            return self._constant(file, node, depth)
        return None

    def _constant(self, file: SourceFile, node: Node, depth: int) -> str | None:
        folder: str | None = package_dir(file)
        name = file.text(node)
        if node.type == "selector_expression":
            package, _, name = name.partition(".")
            folder = self.dir_of_import(imports(file).get(package, "\0"))
        found = self.constants.get((folder, name)) if folder is not None else None
        return self.string(found[0], found[1], depth + 1) if found else None


def _literal(text: str) -> str:
    if text.startswith("`"):
        return text.strip("`")
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text[1:-1])
