"""Independent awaits in a row: each waits for the one before although none uses another's
result, so the endpoint pays the sum of their latencies instead of the slowest.

Conservative on purpose: only consecutive statements, each awaiting one call whose name reads
like a fetch (`get_user`, `findOrders`, `fetch`); none may mention a name an earlier one bound;
and calls that may share one connection (the same receiver in Python, a transaction or session
object in both languages) are not suggested for concurrency, since a session runs one query at
a time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tree_sitter import Node

from apiscope.analysis.analysers.base import Severity
from apiscope.analysis.analysers.context.syntax import nodes_of, text
from apiscope.analysis.analysers.rules.base import JS, PYTHON, ApiCode, Hit
from apiscope.analysis.analysers.rules.calls import Call, read_call
from apiscope.analysis.analysers.rules.code import UnitCode

_READS = re.compile(
    r"^(get|fetch|find|load|list|read|query|search|count|retrieve|lookup|select|download)"
    r"([A-Z_]|$)"
)
_SHARED = frozenset(
    {"db", "session", "conn", "connection", "cursor", "cur", "tx", "trx", "transaction",
     "manager", "queryRunner", "uow", "client", "t"}
)  # fmt: skip
_NOT_IO = frozenset({"request", "req", "websocket", "ws", "reader", "stream", "file", "f",
                     "ctx", "context", "form", "body"})  # fmt: skip
_BLOCKS = frozenset({"block", "statement_block", "module", "program"})


@dataclass(frozen=True, slots=True)
class _Await:
    statement: Node
    call: Call
    bound: frozenset[str]


class SequentialAwaits:
    """Two or more independent fetches awaited one after another."""

    id = "sequential-awaits"
    severity: Severity = "medium"
    label = "independent awaits run one after another"
    languages = PYTHON | JS

    def check(self, code: UnitCode, api: ApiCode) -> Iterator[Hit]:
        """Runs of awaited independent reads in each block of the unit."""
        for block in nodes_of(code.function, code.language, _BLOCKS):
            for run in _runs(code, block):
                yield _hit(code, run)


def _runs(code: UnitCode, block: Node) -> Iterator[list[_Await]]:
    run: list[_Await] = []
    for statement in block.named_children:
        current = _awaited(code, statement)
        if current is not None and run and _independent(run, current, code.language):
            run.append(current)
            continue
        if len(run) >= 2:
            yield run
        run = [current] if current is not None else []
    if len(run) >= 2:
        yield run


def _awaited(code: UnitCode, statement: Node) -> _Await | None:
    """`x = await f(…)`, `const { a } = await f(…)` or `await f(…)` of a read-like call."""
    value, target = _parts(statement)
    if value is None or value.type not in ("await", "await_expression"):
        return None
    inner = value.named_children[-1] if value.named_children else None
    if inner is None or inner.type not in code.syntax.calls:
        return None
    call = read_call(inner, code.syntax.calls)
    if not _READS.match(call.name) or call.root in _NOT_IO:
        return None
    names = {text(n) for n in nodes_of(target, code.language, _IDENTIFIERS)} if target else set()
    return _Await(statement, call, frozenset(names))


_IDENTIFIERS = frozenset({"identifier", "shorthand_property_identifier_pattern"})


def _parts(statement: Node) -> tuple[Node | None, Node | None]:
    """(value, assignment target) of an expression statement or a one-name declaration."""
    if statement.type in ("lexical_declaration", "variable_declaration"):
        declarators = [c for c in statement.named_children if c.type == "variable_declarator"]
        if len(declarators) != 1:
            return None, None
        one = declarators[0]
        return one.child_by_field_name("value"), one.child_by_field_name("name")
    if statement.type != "expression_statement" or not statement.named_children:
        return None, None
    expression = statement.named_children[0]
    if expression.type in ("assignment", "assignment_expression"):
        return expression.child_by_field_name("right"), expression.child_by_field_name("left")
    return expression, None


def _independent(run: list[_Await], current: _Await, language: str) -> bool:
    used = {text(n) for n in nodes_of(current.statement, language, _IDENTIFIERS)}
    for earlier in run:
        if earlier.bound & used or _shared_connection(earlier.call, current.call, language):
            return False
    return True


def _shared_connection(a: Call, b: Call, language: str) -> bool:
    """Whether two calls may run on one connection or session, which serialises them."""
    if language == "python" and a.receiver and a.receiver == b.receiver:
        return True
    roots = {s for s in (a.root, b.root) if s in _SHARED}
    if a.root == b.root and roots:
        return True
    shared_args = _argument_names(a) & _argument_names(b)
    return bool(shared_args & _SHARED) or any(n.endswith(("session", "_db")) for n in shared_args)


def _argument_names(call: Call) -> set[str]:
    return {text(a).removeprefix("self.").removeprefix("this.") for a in call.arguments}


def _hit(code: UnitCode, run: list[_Await]) -> Hit:
    names = ", ".join(f"`{item.call.shown}`" for item in run)
    together = (
        "`asyncio.gather(...)` (or a `TaskGroup`)"
        if code.language == "python"
        else ("`Promise.all([...])`")
    )
    return Hit(
        spots=(code.spot(run[0].statement, run[-1].statement),),
        title=f"Independent awaits run one after another in {code.name}",
        explanation=(
            f"{names} are awaited one after another, yet none uses another's result: the "
            f"endpoint waits for the sum of their latencies instead of the slowest one."
        ),
        recommendation=f"Start them together with {together} and await the results at once.",
    )
