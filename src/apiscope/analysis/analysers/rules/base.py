"""What a rule is, what it reports, and the view of one endpoint's code it checks.

A rule is a small object with an `id`, a `severity`, the languages it knows and a `check` that
yields `Hit`s for one unit; the analyser turns hits into findings. Rules see the other units of
the endpoint through `ApiCode`, so a query two calls away from a loop is still found in it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from apiscope.analysis.analysers.base import ApiUnderAnalysis, Severity
from apiscope.analysis.analysers.rules.calls import Call
from apiscope.analysis.analysers.rules.code import Spot, UnitCode
from apiscope.analysis.analysers.rules.outbound import http_kind
from apiscope.analysis.analysers.rules.queries import query_kind

PYTHON = frozenset({"python"})
JS = frozenset({"javascript", "typescript", "tsx"})
ALL_LANGUAGES = frozenset(
    {"python", "javascript", "typescript", "tsx", "java", "kotlin", "go", "ruby", "php",
     "csharp", "rust"}
)  # fmt: skip

Classifier = Callable[[Call, str], str | None]


@dataclass(frozen=True, slots=True)
class Hit:
    """One occurrence of a slow pattern: where, and what to tell the user."""

    spots: tuple[Spot, ...]
    title: str
    explanation: str
    recommendation: str


class Rule(Protocol):
    """A check for one slow pattern."""

    @property
    def id(self) -> str:
        """Stable id, as findings report it: `n-plus-one`."""
        ...

    @property
    def severity(self) -> Severity:
        """How much a hit is likely to cost."""
        ...

    @property
    def label(self) -> str:
        """How a summary names the cause: `N+1 queries`."""
        ...

    @property
    def languages(self) -> frozenset[str]:
        """The grammars the rule knows."""
        ...

    def check(self, code: UnitCode, api: ApiCode) -> Iterable[Hit]:
        """The hits in one unit of the endpoint's code."""
        ...


@dataclass(frozen=True, slots=True)
class Effect:
    """A call that leaves the process: a query or an outbound HTTP call."""

    code: UnitCode
    call: Call
    label: str
    """`Django ORM query`, `requests.get`, ..."""


def effects(code: UnitCode, classify: Classifier) -> list[Effect]:
    """The unit's calls the classifier recognises, one per chain (the outermost that does)."""
    labels = {call.node: classify(call, code.language) for call in code.calls}
    found: list[Effect] = []
    for call in code.calls:
        label = labels[call.node]
        if label is not None and not (call.chained_into and labels.get(call.chained_into)):
            found.append(Effect(code, call, label))
    return found


def queries(code: UnitCode) -> list[Effect]:
    """The database queries a unit runs itself."""
    return effects(code, query_kind)


def outbound(code: UnitCode) -> list[Effect]:
    """The outbound HTTP calls a unit makes itself."""
    return effects(code, http_kind)


@dataclass
class ApiCode:
    """All parsed units of one endpoint, with the calls between them."""

    api: ApiUnderAnalysis
    units: list[UnitCode]
    _memo: dict[tuple[int, str], Effect | None] = field(default_factory=dict, repr=False)

    def callees(self, code: UnitCode, call: Call) -> Iterator[UnitCode]:
        """The units a call in `code` reaches (the context recorded the call's line)."""
        site = (code.unit.file, code.line(call.node))
        for other in self.units:
            if (
                other is not code
                and site in other.unit.called_from
                and other.short_name == (call.name)
            ):
                yield other

    def callers(self, code: UnitCode) -> Iterator[tuple[UnitCode, Call]]:
        """The calls to `code` from the other units."""
        for file, line in code.unit.called_from:
            for caller in self.units:
                unit = caller.unit
                if unit.file == file and unit.line_start <= line <= unit.line_end:
                    for call in caller.calls:
                        if caller.line(call.node) == line and call.name == code.short_name:
                            yield caller, call

    def reached(
        self, code: UnitCode, call: Call, find: Callable[[UnitCode], list[Effect]]
    ) -> Effect | None:
        """The first effect `find` sees in a unit `call` reaches, directly or further down."""
        for callee in self.callees(code, call):
            found = self._first(callee, find, frozenset({id(code)}))
            if found is not None:
                return found
        return None

    def _first(
        self, code: UnitCode, find: Callable[[UnitCode], list[Effect]], seen: frozenset[int]
    ) -> Effect | None:
        key = (id(code), find.__name__)
        if key in self._memo:
            return self._memo[key]
        direct = find(code)
        result = direct[0] if direct else None
        for call in code.calls if result is None and id(code) not in seen else ():
            for callee in self.callees(code, call):
                result = result or self._first(callee, find, seen | {id(code)})
        self._memo[key] = result
        return result
