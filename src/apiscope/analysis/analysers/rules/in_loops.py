"""Round trips made once per item: queries (N+1) and outbound HTTP calls inside loops.

Found directly in a loop body, or behind a call: `for o in orders: total(o)` where `total`,
one or two calls down, runs the query. The finding then points at both the call in the loop and
the query it leads to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from apiscope.analysis.analysers.base import Severity
from apiscope.analysis.analysers.rules.base import (
    ALL_LANGUAGES,
    ApiCode,
    Effect,
    Hit,
    outbound,
    queries,
)
from apiscope.analysis.analysers.rules.calls import Call
from apiscope.analysis.analysers.rules.code import UnitCode
from apiscope.analysis.analysers.rules.loops import enclosing_loop, loop_line

_QUERY_ADVICE = {
    "python": "Load the rows in one query before the loop: `select_related()`/`prefetch_related()` "
    "in Django, `selectinload()`/`joinedload()` in SQLAlchemy, or one `WHERE id IN (...)` "
    "query; then look items up in a dict.",
    "javascript": "Query once before the loop (`where: { id: { in: ids } }`, `$in`, `include`/"
    "`populate`/`relations`) and look items up in a Map.",
    "java": "Fetch in one query (`findAllById(ids)`, a `JOIN FETCH` or an `@EntityGraph`) and "
    "index the results by id.",
    "go": "Query once with `WHERE id = ANY($1)` (or `sqlx.In`, GORM's `Preload`) and index the "
    "rows in a map.",
    "ruby": "Eager load the association (`includes`/`preload`) or query once with "
    "`where(id: ids)`.",
    "php": "Eager load with `with()`, or query once with `whereIn()`.",
    "csharp": "`Include()` the navigation, or query once with `Where(x => ids.Contains(x.Id))`.",
    "rust": "Query once with `WHERE id = ANY($1)` and index the rows in a HashMap.",
}
_HTTP_ADVICE = (
    "Use the remote API's batch endpoint if it has one; otherwise send the requests "
    "concurrently with a bounded limit (`asyncio.gather` with a semaphore, `Promise.all` in "
    "chunks, an errgroup) and cache answers that repeat."
)


def _advice(language: str) -> str:
    key = "javascript" if language in ("typescript", "tsx") else language
    return _QUERY_ADVICE.get(key, _QUERY_ADVICE["python"])


@dataclass(frozen=True)
class _PerItem:
    """A rule for one kind of round trip found per loop item."""

    id: str
    severity: Severity
    label: str
    languages: frozenset[str]
    find: Callable[[UnitCode], list[Effect]]
    noun: str
    title: str
    cost: str

    def advice(self, language: str) -> str:
        return _advice(language) if self.id == "n-plus-one" else _HTTP_ADVICE

    def check(self, code: UnitCode, api: ApiCode) -> Iterator[Hit]:
        """Direct round trips in a loop body, then calls in loops that lead to one."""
        direct = {effect.call.node for effect in self.find(code)}
        for effect in self.find(code):
            loop = enclosing_loop(code, effect.call.node)
            if loop is not None:
                yield self._direct(code, effect, loop_line(code, loop))
        for call in code.calls:
            if call.node in direct:
                continue
            loop = enclosing_loop(code, call.node)
            reached = api.reached(code, call, self.find) if loop is not None else None
            if loop is not None and reached is not None:
                yield self._indirect(code, call, reached, loop_line(code, loop))

    def _direct(self, code: UnitCode, effect: Effect, loop: int) -> Hit:
        return Hit(
            spots=(code.spot(effect.call.node),),
            title=f"{self.title} in {code.name}",
            explanation=(
                f"`{effect.call.shown}` ({effect.label}) runs once per item of the loop at "
                f"line {loop}: {self.cost}"
            ),
            recommendation=self.advice(code.language),
        )

    def _indirect(self, code: UnitCode, call: Call, reached: Effect, loop: int) -> Hit:
        where = f"{reached.code.unit.file}:{reached.code.line(reached.call.node)}"
        return Hit(
            spots=(code.spot(call.node), reached.code.spot(reached.call.node)),
            title=f"{self.title} in {code.name}",
            explanation=(
                f"`{call.shown}` is called once per item of the loop at line {loop}, and it "
                f"makes {self.noun}: `{reached.call.shown}` ({reached.label}, {where}). "
                f"{self.cost[0].upper()}{self.cost[1:]}"
            ),
            recommendation=self.advice(code.language),
        )


N_PLUS_ONE = _PerItem(
    id="n-plus-one",
    severity="high",
    label="N+1 queries",
    languages=ALL_LANGUAGES,
    find=queries,
    noun="a database query",
    title="Query inside a loop (N+1)",
    cost="N items cost N round trips to the database.",
)

OUTBOUND_CALL_IN_LOOP = _PerItem(
    id="outbound-call-in-loop",
    severity="high",
    label="HTTP calls in a loop",
    languages=ALL_LANGUAGES,
    find=outbound,
    noun="an HTTP request",
    title="HTTP call inside a loop",
    cost="N items cost N sequential requests to another service.",
)
