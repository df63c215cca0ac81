"""Reading a Django URLconf module's pattern lists as written: every statement that builds
`urlpatterns` (`=`, `+=`, `.append`, `.extend`, also under `if settings.DEBUG:`), and each
entry's route converted to a `{name}` template piece.

Used by `python_django`; it declares no routes itself, hence the empty `DISCOVERERS`.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from apiscope.analysis.discovery import python_ast as ast
from apiscope.analysis.discovery.paths import angle_params, regex_params
from apiscope.analysis.discovery.project import SourceFile

_BLOCKS = ("if_statement", "try_statement", "else_clause", "elif_clause", "except_clause",
           "finally_clause", "block", "with_statement")  # fmt: skip
_UNNAMED_GROUP = re.compile(r"\((?!\?)[^()]*\)")
"""`url(r"^archive/([0-9]{4})/$", ...)`: a positional argument, written `{arg}`."""
_GROWING = ("append", "extend", "insert")


def route_piece(kind: str, route: str) -> str:
    """A `path()` route or a `re_path()`/`url()` regex as a template piece (no leading `/`)."""
    if kind == "path":
        return angle_params(route)
    return _UNNAMED_GROUP.sub("{arg}", regex_params(route))


def pattern_values(file: SourceFile, name: str) -> list[Node]:
    """The expressions that make up a module-level pattern list, in statement order."""
    values: list[Node] = []
    _statements(file, file.root, name, values)
    return values


def _statements(file: SourceFile, scope: Node, name: str, values: list[Node]) -> None:
    for statement in scope.named_children:
        if statement.type in _BLOCKS:
            _statements(file, statement, name, values)
        elif statement.type == "expression_statement" and statement.named_children:
            _statement(file, statement.named_children[0], name, values)


def _statement(file: SourceFile, node: Node, name: str, values: list[Node]) -> None:
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    if node.type == "call":
        receiver, method = ast.callee(file, node)
        positional, _ = ast.arguments(node)
        if receiver is not None and file.text(receiver) == name and method in _GROWING:
            values.extend(positional[-1:])
    elif left is None or right is None or file.text(left) != name:
        return
    elif node.type == "augmented_assignment":
        values.append(right)
    elif node.type == "assignment":
        _assignment(file, right, name, values)


def _assignment(file: SourceFile, right: Node, name: str, values: list[Node]) -> None:
    """`x = [...]` starts over; `x = x + [...]` adds; `x = wrap(x)` keeps what x was."""
    refers_to_itself = any(file.text(n) == name for n in ast.descendants(right, "identifier"))
    if not refers_to_itself:
        values.clear()
        values.append(right)
    elif right.type == "binary_operator":
        other = right.child_by_field_name("right")
        if other is not None and file.text(other) != name:
            values.append(other)
