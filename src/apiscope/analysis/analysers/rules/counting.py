"""Rows loaded only to be counted: `len(Order.objects.filter(...))`,
`(await prisma.order.findMany(...)).length`, `repository.findAll().size()`. Every row is read,
sent and turned into an object, where the database could answer with one number.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from apiscope.analysis.analysers.base import Severity
from apiscope.analysis.analysers.context.syntax import text
from apiscope.analysis.analysers.rules.base import ApiCode, Effect, Hit, queries
from apiscope.analysis.analysers.rules.calls import read_call
from apiscope.analysis.analysers.rules.code import UnitCode

_ADVICE = {
    "python": "Ask the database for the number: `.count()` on the queryset or query, or "
    "`select(func.count()).select_from(...)`.",
    "javascript": "Ask the database for the number: `count()` (Prisma, Sequelize, TypeORM) or "
    "`countDocuments()` (Mongoose).",
    "java": "Ask the database for the number: a `count()` / `countBy…` repository method or "
    "`SELECT COUNT(*)`.",
}
_WRAPPERS = frozenset({"parenthesized_expression", "await_expression", "await"})


class CountByLoadingRows:
    """A query whose rows are loaded only to take their number."""

    id = "count-by-loading-rows"
    severity: Severity = "medium"
    label = "rows loaded only to be counted"
    languages = frozenset({"python", "javascript", "typescript", "tsx", "java"})

    def check(self, code: UnitCode, api: ApiCode) -> Iterator[Hit]:
        """Queries whose result goes straight into `len()`, `.length` or `.size()`."""
        family = "javascript" if code.language in ("typescript", "tsx") else code.language
        for effect in queries(code):
            counted = _counted(code, effect, family)
            if counted is not None:
                yield Hit(
                    spots=(code.spot(counted),),
                    title=f"Rows loaded only to be counted in {code.name}",
                    explanation=(
                        f"`{' '.join(text(counted).split())}` loads every matching row to "
                        "count them: the database reads, sends and the code decodes all of "
                        "them to produce one number."
                    ),
                    recommendation=_ADVICE[family],
                )


def _counted(code: UnitCode, effect: Effect, family: str) -> Node | None:
    """The expression that counts the query's rows, if that is all that is done with them."""
    node = effect.call.node
    if family == "java":
        outer = effect.call.chained_into
        chained = read_call(outer, code.syntax.calls) if outer is not None else None
        return outer if chained is not None and chained.name in ("size", "count") else None
    holder = node.parent
    while holder is not None and holder.type in _WRAPPERS:
        holder = holder.parent
    if family == "python" and holder is not None and holder.type == "argument_list":
        call = holder.parent
        is_len = call is not None and text(call.child_by_field_name("function")) == "len"
        return call if is_len and len(holder.named_children) == 1 else None
    if family == "javascript" and holder is not None and holder.type == "member_expression":
        prop = holder.child_by_field_name("property")
        return holder if text(prop) == "length" else None
    return None
