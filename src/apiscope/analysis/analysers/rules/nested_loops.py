"""A join done by hand: for each item of one collection, a scan of another to find the item
whose key equals it (`for o in orders: for p in products: if p.id == o.product_id`, or
`orders.map(o => products.find(p => p.id === o.productId))`). N*M comparisons where a lookup
table makes N + M.

Reported only when the inner loop compares its own item with the outer loop's item, and walks a
collection that does not come from the outer item (an order's own lines are no join).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from apiscope.analysis.analysers.base import Severity
from apiscope.analysis.analysers.context.syntax import nodes_of, text
from apiscope.analysis.analysers.rules.base import ApiCode, Hit
from apiscope.analysis.analysers.rules.calls import read_call
from apiscope.analysis.analysers.rules.code import UnitCode
from apiscope.analysis.analysers.rules.loops import enclosing_loop, loop_line

_COMPARISONS = frozenset({"comparison_operator", "binary_expression", "binary"})
_EQUALS = re.compile(r"^\s*(==|===|\.equals|Objects\.equals)")
_NAME = re.compile(r"[A-Za-z_$][\w$]*")
_BINDING_FIELDS = ("left", "name", "pattern", "parameters", "parameter")


class NestedLoopJoin:
    """An inner loop that searches a collection for the outer loop's item."""

    id = "nested-loop-join"
    severity: Severity = "medium"
    label = "nested loops that join collections"
    languages = frozenset({"python", "javascript", "typescript", "tsx", "java", "go", "ruby",
                           "php", "csharp", "rust"})  # fmt: skip

    def check(self, code: UnitCode, api: ApiCode) -> Iterator[Hit]:
        """One hit per inner loop that compares its item to the outer loop's."""
        reported: set[int] = set()
        for comparison in nodes_of(code.function, code.language, _COMPARISONS):
            sides = _equality_sides(comparison)
            inner = enclosing_loop(code, comparison) if sides else None
            outer = enclosing_loop(code, inner) if inner is not None else None
            if sides is None or inner is None or outer is None or inner.id in reported:
                continue
            if _joins(code, sides, inner, outer):
                reported.add(inner.id)
                yield _hit(code, inner, outer, comparison)


def _equality_sides(comparison: Node) -> tuple[str, str] | None:
    named = [c for c in comparison.named_children if c.type != "comment"]
    operators = [c for c in comparison.children if not c.is_named]
    if len(named) != 2 or len(operators) != 1 or text(operators[0]) not in ("==", "==="):
        return None
    return text(named[0]), text(named[1])


def _joins(code: UnitCode, sides: tuple[str, str], inner: Node, outer: Node) -> bool:
    inner_names, outer_names = _bound(code, inner), _bound(code, outer)
    if not inner_names or not outer_names or _iterable_names(code, inner) & outer_names:
        return False
    left, right = (_names(side) for side in sides)
    return any(
        a & inner_names and b & outer_names and not b & inner_names
        for a, b in ((left, right), (right, left))
    )


def _bound(code: UnitCode, loop: Node) -> set[str]:
    """The names a loop binds per item: its target, or its callback's parameters."""
    if loop.type in ("list_comprehension", "set_comprehension", "dictionary_comprehension",
                     "generator_expression"):  # fmt: skip
        clauses = [c for c in loop.named_children if c.type == "for_in_clause"]
        return set().union(*(_names(text(c.child_by_field_name("left"))) for c in clauses))
    for name in _BINDING_FIELDS:
        holder = loop.child_by_field_name(name)
        if holder is not None:
            return _names(text(holder))
    for child in loop.named_children:
        if child.type == "block_parameters":  # Ruby's `each do |p|`
            return _names(text(child))
        if child.type == "range_clause":  # Go's `for _, p := range products`
            return _names(text(child.child_by_field_name("left")))
    if loop.type == "foreach_statement":  # PHP's `foreach ($products as $id => $p)`
        body = loop.child_by_field_name("body")
        return set().union(*(_names(text(c)) for c in loop.named_children[1:] if c != body))
    return set()


def _iterable_names(code: UnitCode, loop: Node) -> set[str]:
    """Names in what the loop walks: `o.items` mentions the outer `o`."""
    if loop.type in code.syntax.functions and loop.parent is not None:
        holder = loop.parent.parent
        if holder is not None and holder.type in code.syntax.calls:
            return _names(read_call(holder, code.syntax.calls).receiver)
    body = loop.child_by_field_name("body")
    header = (loop.text or b"")[: (body.start_byte if body else loop.end_byte) - loop.start_byte]
    return _names(header.decode("utf-8", "replace")) - _bound(code, loop)


def _names(source: str) -> set[str]:
    return {n.lstrip("$") for n in _NAME.findall(source)} - {
        "for",
        "in",
        "of",
        "const",
        "let",
        "var",
        "range",
        "self",
        "this",
    }


def _hit(code: UnitCode, inner: Node, outer: Node, comparison: Node) -> Hit:
    return Hit(
        spots=(
            code.spot(inner, comparison)
            if code.line(comparison) - code.line(inner) <= 4
            else code.spot(comparison),
        ),
        title=f"Nested loop joins two collections in {code.name}",
        explanation=(
            f"For each item of the loop at line {loop_line(code, outer)}, the loop at line "
            f"{loop_line(code, inner)} scans a whole collection for a match "
            f"(`{' '.join(text(comparison).split())}`): N*M comparisons, which grow "
            "quadratically with the data."
        ),
        recommendation=(
            "Index the inner collection once by its key (a dict or Map from id to item) and look "
            "each outer item up in it."
        ),
    )
