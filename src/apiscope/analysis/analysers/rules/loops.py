"""Which code runs once per item of a collection: loop bodies, comprehensions, and callbacks of
`forEach`/`map`/`each`, but not a loop's iterable, which runs once.

Left out on purpose, for precision: `while` loops except those that walk a result set
(`while rs.next()`), loops over a literal handful of values (`for f in ("a", "b")`,
`range(3)`), and retry loops (`for attempt in range(retries)`).
"""

from __future__ import annotations

import re

from tree_sitter import Node

from apiscope.analysis.analysers.context.syntax import text
from apiscope.analysis.analysers.rules.calls import read_call
from apiscope.analysis.analysers.rules.code import UnitCode

_FOR = frozenset(
    {"for_statement", "for_in_statement", "enhanced_for_statement", "foreach_statement",
     "for_expression", "for"}
)  # fmt: skip
_WHILE = frozenset({"while_statement", "do_statement", "while_expression", "while"})
_COMPREHENSIONS = frozenset(
    {"list_comprehension", "set_comprehension", "dictionary_comprehension", "generator_expression"}
)
_CALLBACKS = frozenset(
    {"forEach", "map", "flatMap", "filter", "reduce", "some", "every", "find", "findIndex",
     "each", "each_with_index", "each_with_object", "flat_map", "collect", "select", "reject",
     "find_each", "for_each", "filter_map", "Select", "SelectMany", "ForEach", "Where", "peek",
     "anyMatch", "allMatch", "forEachOrdered"}
)  # fmt: skip
_RESULT_STEPS = re.compile(r"\b(next|Next|hasNext|read|Read|fetchone|fetch|step)\s*\(")
_RETRY = re.compile(r"retr|attempt|tries|backoff", re.IGNORECASE)
_C_STYLE_BOUND = re.compile(r"[<>]=?\s*\d+\s*;")
"""`for (i = 0; i < 3; i++)`: a literal bound."""
_SMALL_ITERABLE = re.compile(r"range\(\d+\)|\[\]|\(\)|\{\}|%w\[\]")
"""`range(3)`, or a literal list written in place (its contents emptied by `read_call`)."""
_LITERALS = frozenset({"tuple", "list", "array", "set", "array_creation_expression"})


def enclosing_loop(code: UnitCode, node: Node) -> Node | None:
    """The innermost loop (within the unit's function) that runs `node` once per item."""
    child, parent = node, node.parent
    while parent is not None and child != code.function:
        if _repeats(parent, child) and not _bounded(parent):
            return parent
        child, parent = parent, parent.parent
    return None


def loop_line(code: UnitCode, loop: Node) -> int:
    """The line a loop is reported at: its header, or the iterating call of a callback."""
    if loop.type in code.syntax.functions and loop.parent is not None:
        call = _callback_call(loop)
        if call is not None:
            return code.line(call)
    return code.line(loop)


def _repeats(parent: Node, child: Node) -> bool:
    if parent.type in _FOR:
        return child == parent.child_by_field_name("body")
    if parent.type in _WHILE:
        condition = parent.child_by_field_name("condition")
        steps = condition is not None and _RESULT_STEPS.search(text(condition)) is not None
        return steps and child == parent.child_by_field_name("body")
    if parent.type in _COMPREHENSIONS:
        first = next((c for c in parent.named_children if c.type == "for_in_clause"), None)
        return child != first
    if parent.type in ("do_block", "block") and child.type in ("body_statement", "block_body"):
        return _callback_call(parent) is not None
    return _callback_call(parent) is not None and child == parent.child_by_field_name("body")


def _callback_call(function: Node) -> Node | None:
    """The `xs.map(…)` call a function or block is the per-item callback of."""
    holder = function.parent
    while holder is not None and holder.type in (
        "argument",
        "arguments",
        "argument_list",
        "value_argument",
        "value_arguments",
    ):
        holder = holder.parent
    if holder is None:
        return None
    if holder.type not in ("call_expression", "call", "method_invocation", "invocation_expression"):
        return None
    call = read_call(holder, frozenset({holder.type}))
    return holder if call.name in _CALLBACKS and call.receiver else None


def _bounded(loop: Node) -> bool:
    """A loop over a few literal values, or one that retries: not a loop over data."""
    header = _header(loop)
    iterable = loop.child_by_field_name("right") or loop.child_by_field_name("value")
    call = _callback_call(loop) if loop.type not in _FOR | _WHILE else None
    if call is not None:
        iterable_text = read_call(call, frozenset({call.type})).receiver
    else:
        iterable_text = "".join(text(iterable).split())
    return bool(
        _RETRY.search(header)
        or _C_STYLE_BOUND.search(header)
        or _SMALL_ITERABLE.fullmatch(iterable_text)
        or (iterable is not None and iterable.type in _LITERALS)
    )


def _header(loop: Node) -> str:
    """A loop's text without its body: the iterable, condition or callback's call."""
    if loop.type not in _FOR | _WHILE:
        call = _callback_call(loop)
        return text(call.child_by_field_name("function")) if call is not None else ""
    body = loop.child_by_field_name("body")
    whole = loop.text or b""
    end = body.start_byte - loop.start_byte if body is not None else len(whole)
    return whole[:end].decode("utf-8", "replace")
