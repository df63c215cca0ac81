"""Queries that read a whole table for a list endpoint: no filter, no limit, no pagination.

Only on `GET` (or any-method) routes whose code mentions no pagination at all (`limit`,
`offset`, `page`, `paginate`, `take`, `skip`), and only for queries that are unfiltered by
construction: `Model.objects.all()`, `session.query(Model).all()`, `prisma.x.findMany()` with no
`where` or `take`, `repository.findAll()`, `db.Find(&rows)`, `SELECT … FROM t` with no `WHERE`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from apiscope.analysis.analysers.base import Severity
from apiscope.analysis.analysers.context.syntax import text
from apiscope.analysis.analysers.rules.base import ALL_LANGUAGES, ApiCode, Effect, Hit, queries
from apiscope.analysis.analysers.rules.calls import Call, read_call
from apiscope.analysis.analysers.rules.code import Spot, UnitCode
from apiscope.analysis.analysers.rules.sql import select_strings, whole_table

_PAGINATION = re.compile(
    r"paginat|\b(limit|offset|page|page_size|per_page|pageSize|perPage|take|skip|"
    r"Pageable|PageRequest|slice)\b",
    re.IGNORECASE,
)
_NARROWING = frozenset(
    {"filter", "filter_by", "exclude", "where", "get", "first", "last", "one", "one_or_none",
     "limit", "offset", "slice", "count", "exists", "aggregate", "scalar", "paginate",
     "get_or_404", "first_or_404", "Where", "Limit", "Offset", "First", "Take", "Skip", "Count",
     "take", "skip", "findOne", "findUnique", "findFirst", "Scopes", "in_bulk", "find_by",
     "page", "per", "none", "iterator", "having", "group_by", "raw", "extra", "create",
     "bulk_create", "update", "delete", "get_or_create", "update_or_create", "Raw", "Exec"}
)  # fmt: skip
"""Methods that narrow a query, write, or read it without loading every row."""
_READ_CHAIN = frozenset(
    {"all", "order_by", "select_related", "prefetch_related", "values", "values_list", "only",
     "defer", "annotate", "using", "options", "join", "outerjoin", "distinct", "reverse",
     "with_entities", "includes", "preload", "eager_load", "Preload", "Order", "order", "sort",
     "populate", "lean", "exec", "Include", "AsNoTracking", "OrderBy", "OrderByDescending",
     "ToList", "ToListAsync", "toArray", "select", "Find", "find", "findMany", "findAll"}
)  # fmt: skip
"""Methods that keep a query reading every row."""


class UnboundedQuery:
    """A list endpoint that loads every row of a table."""

    id = "unbounded-query"
    severity: Severity = "medium"
    label = "queries without a limit"
    languages = ALL_LANGUAGES

    def check(self, code: UnitCode, api: ApiCode) -> Iterator[Hit]:
        """Whole-table queries, when the endpoint is a read with no pagination anywhere."""
        if api.api.route.method not in ("GET", "ANY") or _paginated(api):
            return
        for effect in queries(code):
            if _whole_table_call(effect):
                yield _hit(code, code.spot(effect.call.node), f"`{effect.call.shown}`")
        for node, sql in select_strings(code):
            if whole_table(sql):
                yield _hit(code, code.spot(node), "The SQL query")


def _paginated(api: ApiCode) -> bool:
    return any(_PAGINATION.search(code.unit.source) for code in api.units)


def _whole_table_call(effect: Effect) -> bool:
    """A query whose whole chain neither filters nor limits, and that loads rows."""
    top = _chain_top(effect.code, effect.call)
    if _sliced(top.node) or any(s in _NARROWING for s in top.segments):
        return False
    call = effect.call
    for manager in ("objects", "query"):  # Django managers, (Flask-)SQLAlchemy queries
        if manager in top.segments[:-1]:
            rest = top.segments[top.segments.index(manager) + 1 :]
            return set(rest) <= _READ_CHAIN and (manager == "objects" or rest[-1] == "all")
    if call.name in ("execute", "scalars") and call.arguments:
        return _unfiltered_select(effect.code, call.arguments[0])
    if call.name in ("findMany", "findAll", "find", "Find"):
        return _no_conditions(call.name, call.arguments)
    if len(top.segments) == 2 and call.name in ("all", "select"):
        return not call.arguments  # `Post::all()`, `Product.all`, `await Product.all()`
    return call.name in ("ToList", "ToListAsync") and len(call.segments) <= 3


def _chain_top(code: UnitCode, call: Call) -> Call:
    """The outermost call of the chain `call` is in (`….where(…)` after `User.select()`)."""
    node = call.node
    while (outer := read_call(node, code.syntax.calls).chained_into) is not None:
        node = outer
    return read_call(node, code.syntax.calls) if node != call.node else call


def _unfiltered_select(code: UnitCode, argument: Node) -> bool:
    """`session.execute(select(User))` with no `.where`, `.limit` or `.filter` on the select."""
    if argument.type != "call":
        return False
    select = read_call(argument, code.syntax.calls)
    return select.root == "select" and not set(select.segments) & _NARROWING


def _no_conditions(name: str, arguments: tuple[Node, ...]) -> bool:
    """No arguments or `{}`; options without `where`/`take` (`findMany`, `findAll`); for
    `find`, whose first argument is the filter itself (Mongoose), options that only order or
    join; GORM's `db.Find(&rows)` given only its destination."""
    if not arguments:
        return True
    first = arguments[0]
    if first.type == "object":
        keys = {_key(p) for p in first.named_children}
        if name == "find":
            return keys <= {"order", "relations", "select", "cache", "sort", "withDeleted", ""}
        return not keys & {"where", "take", "limit", "skip", "cursor", "first"}
    return len(arguments) == 1 and first.type == "unary_expression" and text(first).startswith("&")


def _key(member: Node) -> str:
    if member.type == "pair":
        return text(member.child_by_field_name("key")).strip("'\"")
    if member.type == "comment":
        return ""
    return text(member)  # a shorthand `{ userId }`, or a spread `{ ...filters }`: a condition


def _sliced(node: Node) -> bool:
    """`Model.objects.all()[:20]`: Django turns the slice into a LIMIT."""
    parent = node.parent
    return parent is not None and parent.type == "subscript"


def _hit(code: UnitCode, spot: Spot, what: str) -> Hit:
    return Hit(
        spots=(spot,),
        title=f"Query without a limit in {code.name}",
        explanation=(
            f"{what} reads every row of the table (no filter, no limit), and the endpoint does "
            "no pagination: its cost grows with the table, and so do the response and the "
            "memory it takes."
        ),
        recommendation=(
            "Paginate (a `limit` with a cursor or page parameter, capped on the server), or "
            "filter to what the client needs; select only the columns the response uses."
        ),
    )
