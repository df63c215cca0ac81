"""String constants that Spring and JAX-RS paths are built of, resolved across the project.

`@GetMapping(ApiPaths.USERS + BY_ID)` names constants declared anywhere: `static final String`
fields, interface constants, Kotlin `const val`s (in objects, companions or at top level), and
Kotlin string templates (`"$BASE/x"`) refer to them the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from apiscope.analysis.discovery.jvm_ast import CLASS_NODES, class_name, jvm_sources, members
from apiscope.analysis.discovery.project import Project, SourceFile

_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)")
_TEMPLATE = re.compile(r"\$\{\s*([\w.]+)\s*\}|\$([A-Za-z_]\w*)")
_ESCAPED = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "0": "\0"}
ARRAY_NODES = frozenset(
    {"element_value_array_initializer", "collection_literal", "array_initializer",
     "call_expression", "value_arguments", "value_argument", "parenthesized_expression"}
)  # fmt: skip
"""Java `{..}`, Kotlin `[..]` and `arrayOf(..)`, and the wrappers around one value."""
_STRING_CONSTANT = re.compile(rb"static\s+final\s+String|const\s+val|interface\s")


class Constants:
    """String constants (`static final String`, Kotlin `const val`) that paths may be built of.

    Resolved by owner class first, then by a name unique in the project; a name that cannot be
    resolved makes the whole value unknown (None) rather than a wrong path.
    """

    def __init__(self, project: Project) -> None:
        self._project = project
        self._table: dict[str, list[tuple[str, SourceFile, Node]]] | None = None
        self._resolving: set[int] = set()

    def strings(self, file: SourceFile, node: Node, owner: str) -> list[str] | None:
        """The string values of an annotation argument: one, or several for an array."""
        kind = node.type
        if kind == "string_literal":
            return self._literal(file, node, owner)
        if kind in ("identifier", "field_access", "navigation_expression", "scoped_identifier"):
            return self._constant(file.text(node), owner)
        if kind == "binary_expression":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            lefts = self.strings(file, left, owner) if left else None
            rights = self.strings(file, right, owner) if right else None
            return (
                None if lefts is None or rights is None else [a + b for a in lefts for b in rights]
            )
        if kind in ARRAY_NODES:
            return self._elements(file, node, owner)
        return None

    def _elements(self, file: SourceFile, node: Node, owner: str) -> list[str] | None:
        values: list[str] = []
        for child in node.named_children:
            if child.type in ("identifier", "comment") and node.type == "call_expression":
                continue  # `arrayOf(...)`: the callee's name
            found = self.strings(file, child, owner)
            if found is None:
                return None
            values += found
        return values

    def _literal(self, file: SourceFile, node: Node, owner: str) -> list[str] | None:
        raw = file.text(node).strip('"')
        if file.language == "kotlin":
            missing: list[str] = []
            raw = _TEMPLATE.sub(lambda m: self._template(m, owner, missing), raw)
            if missing:
                return None
        return [_ESCAPE.sub(_unescape, raw)]

    def _template(self, match: re.Match[str], owner: str, missing: list[str]) -> str:
        if match.start() > 0 and match.string[match.start() - 1] == "\\":
            return match.group(0)
        values = self._constant(match.group(1) or match.group(2), owner)
        if not values:
            missing.append(match.group(0))
        return values[0] if values else ""

    def _constant(self, name: str, owner: str) -> list[str] | None:
        qualifier, _, simple = name.rpartition(".")
        candidates = self.table().get(simple, [])
        wanted = qualifier.rsplit(".", 1)[-1] or owner
        chosen = [c for c in candidates if c[0] == wanted] or candidates * (not qualifier)
        if len(chosen) != 1 or id(chosen[0][2]) in self._resolving:
            return None
        defined_in, file, value = chosen[0]
        self._resolving.add(id(value))
        try:
            return self.strings(file, value, defined_in)
        finally:
            self._resolving.discard(id(value))

    def table(self) -> dict[str, list[tuple[str, SourceFile, Node]]]:
        """Every string constant in the project by simple name, with its owner class."""
        if self._table is None:
            self._table = {}
            for file in jvm_sources(self._project, b""):
                if _STRING_CONSTANT.search(file.source):
                    for owner, name, value in _constant_declarations(file):
                        self._table.setdefault(name, []).append((owner, file, value))
        return self._table


def _constant_declarations(file: SourceFile) -> Iterator[tuple[str, str, Node]]:
    """(owner class or "" at top level, name, value) of every field with an initializer."""
    for member in file.root.named_children:
        yield from (("", n, v) for n, v in _string_fields(file, member))
    for cls in (n for n in _descendants(file.root) if n.type in CLASS_NODES):
        owner = class_name(file, cls)
        for member in members(cls):
            yield from ((owner, n, v) for n, v in _string_fields(file, member))


def _string_fields(file: SourceFile, member: Node) -> Iterator[tuple[str, Node]]:
    if member.type in ("field_declaration", "constant_declaration"):
        for declarator in member.children_by_field_name("declarator"):
            name, value = (
                declarator.child_by_field_name("name"),
                declarator.child_by_field_name("value"),
            )
            if name and value:
                yield file.text(name), value
    elif member.type == "property_declaration":
        variable = next(
            (c for c in member.named_children if c.type == "variable_declaration"), None
        )
        if variable is not None and member.named_children[-1] != variable:
            yield file.text(variable).split(":")[0].strip(), member.named_children[-1]


def _descendants(node: Node) -> Iterator[Node]:
    stack = list(node.named_children)
    while stack:
        current = stack.pop()
        stack.extend(current.named_children)
        yield current


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    return chr(int(code[1:], 16)) if len(code) == 5 else _ESCAPED.get(code, code)
