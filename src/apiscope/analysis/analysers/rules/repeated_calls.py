"""The same query, HTTP call or fetch made twice in one function with the same arguments, with
nothing written in between: the second one repeats the first's work.

Calls in loops are left to the loop rules; a call whose arguments were reassigned, or with a
write (`save`, `commit`, `update`, `post`, ...) between the two, is not a repeat.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from apiscope.analysis.analysers.base import Severity
from apiscope.analysis.analysers.context.syntax import nodes_of, text
from apiscope.analysis.analysers.rules.base import ALL_LANGUAGES, ApiCode, Hit, outbound, queries
from apiscope.analysis.analysers.rules.calls import Call
from apiscope.analysis.analysers.rules.code import UnitCode
from apiscope.analysis.analysers.rules.loops import enclosing_loop

_READS = re.compile(r"^(get|fetch|find|load|list|read|query|search|count|retrieve|lookup)"
                    r"([A-Z_]|$)")  # fmt: skip
_WRITES = re.compile(
    r"^(save|commit|update|insert|delete|remove|create|put|post|patch|set|add|flush|refresh|"
    r"upsert|destroy|increment|decrement|invalidate|clear|reset|send|publish|write|execute)",
    re.IGNORECASE,
)
_ASSIGNMENTS = frozenset({"assignment", "augmented_assignment", "assignment_expression",
                          "augmented_assignment_expression", "short_var_declaration",
                          "variable_declarator", "assignment_statement"})  # fmt: skip


class RepeatedIdenticalCall:
    """A read repeated with identical arguments in one function."""

    id = "repeated-identical-call"
    severity: Severity = "medium"
    label = "repeated identical calls"
    languages = ALL_LANGUAGES

    def check(self, code: UnitCode, api: ApiCode) -> Iterator[Hit]:
        """Pairs of identical reads, the second reported with both lines as evidence."""
        candidates = _reads(code, api)
        seen: dict[str, Call] = {}
        for call in candidates:
            key = "".join(text(call.node).split())
            first = seen.get(key)
            if first is not None and _nothing_changes(code, first, call):
                yield _hit(code, first, call)
                continue
            seen[key] = call

    # The first of a pair stays the reference: a third repeat is reported against it too.


def _reads(code: UnitCode, api: ApiCode) -> list[Call]:
    """Queries, outbound calls and calls to read-like project functions, outside loops."""
    effects = {e.call.node for e in queries(code) + outbound(code)}
    found = []
    for call in code.calls:
        is_read = call.node in effects or (
            _READS.match(call.name) is not None and any(api.callees(code, call))
        )
        if is_read and enclosing_loop(code, call.node) is None and call.arguments:
            found.append(call)
    return found


def _nothing_changes(code: UnitCode, first: Call, second: Call) -> bool:
    """No write call and no assignment to an argument's names between the two calls."""
    start, end = first.node.end_byte, second.node.start_byte
    between = [c for c in code.calls if start <= c.node.start_byte < end]
    if any(_WRITES.match(c.name) for c in between):
        return False
    names = {text(n) for a in first.arguments for n in _identifiers(code, a)}
    for assignment in nodes_of(code.function, code.language, _ASSIGNMENTS):
        if start <= assignment.start_byte < end:
            target = assignment.child_by_field_name("left") or assignment.child_by_field_name(
                "name"
            )
            if target is not None and {text(n) for n in _identifiers(code, target)} & names:
                return False
    return not _in_different_branches(first.node, second.node)


def _identifiers(code: UnitCode, node: Node) -> list[Node]:
    kinds = frozenset({"identifier", "variable_name", "shorthand_property_identifier"})
    return [node] if node.type in kinds else nodes_of(node, code.language, kinds)


def _in_different_branches(a: Node, b: Node) -> bool:
    """`if x: get(k) else: get(k)`: only one of the two runs."""
    branches = ("else_clause", "elif_clause", "else", "except_clause", "catch_clause")
    ancestors_a = _ancestors(a)
    for node in _ancestors(b):
        if node in ancestors_a:
            return False
        if node.type in branches:
            return True
    return False


def _ancestors(node: Node) -> list[Node]:
    found, current = [], node.parent
    while current is not None:
        found.append(current)
        current = current.parent
    return found


def _hit(code: UnitCode, first: Call, second: Call) -> Hit:
    return Hit(
        spots=(code.spot(second.node), code.spot(first.node)),
        title=f"Same call made twice in {code.name}",
        explanation=(
            f"`{second.shown}` at line {code.line(second.node)} repeats the identical call at "
            f"line {code.line(first.node)}, with nothing changed in between: the endpoint does "
            "the same work twice."
        ),
        recommendation="Keep the first result in a variable and reuse it (or memoise the "
        "function for the duration of the request).",
    )
