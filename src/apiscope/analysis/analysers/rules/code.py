"""A code unit as the rules read it: its source parsed again on its own, with every node's line
mapped back to the repository file.

A unit is whole lines of a file, so a method taken out of its class may not parse alone; it is
parsed inside a wrapper opened on the same line (`class _{`), which moves no line (Python's
`if True:` takes a line of its own, and is accounted for). Of the
functions in the parse, the unit's own is the largest one ending on its last line (an inline
handler's line may hold other functions, like a middleware before it).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from tree_sitter import Language, Node, Parser

from apiscope.analysis.analysers.base import CodeUnit
from apiscope.analysis.analysers.context.syntax import SYNTAX, Syntax, nodes_of
from apiscope.analysis.analysers.rules.calls import Call, calls_in
from apiscope.analysis.discovery.languages import load_language

_AS_IS = ("", "")
_IN_CLASS = ("class _{", "\n}")
_ATTEMPTS: dict[str, tuple[tuple[str, str], ...]] = {
    "python": (_AS_IS, ("if True:\n", "")),
    "javascript": (_AS_IS, _IN_CLASS),
    "typescript": (_AS_IS, _IN_CLASS),
    "tsx": (_AS_IS, _IN_CLASS),
    "java": (_IN_CLASS, _AS_IS),
    "kotlin": (_AS_IS, _IN_CLASS, ("fun _(){", "\n}")),
    "csharp": (_IN_CLASS, _AS_IS),
    "php": (("<?php ", ""), ("<?php class _{", "\n}")),
    "go": (_AS_IS, ("func _(){", "\n}")),
    "rust": (_AS_IS, ("fn _(){", "\n}")),
    "ruby": (_AS_IS,),
}
"""(prefix, suffix) around the unit's source, tried in order until one parses cleanly."""


@dataclass(frozen=True, slots=True)
class Spot:
    """Lines of one unit that a finding points at (1-based, inclusive, in the file)."""

    unit: CodeUnit
    start: int
    end: int


@dataclass
class UnitCode:
    """One parsed unit: the function node and line mapping the rules need."""

    unit: CodeUnit
    root: Node
    function: Node
    offset: int
    """Added to a parsed row (0-based) to give the file's 1-based line."""
    syntax: Syntax

    @property
    def language(self) -> str:
        """The unit's grammar name."""
        return self.unit.language

    def line(self, node: Node) -> int:
        """The file line a node starts on."""
        return node.start_point.row + self.offset

    def end_line(self, node: Node) -> int:
        """The file line a node ends on."""
        return node.end_point.row + self.offset

    def spot(self, first: Node, last: Node | None = None) -> Spot:
        """The lines from `first`'s start to `last`'s end (or `first`'s)."""
        return Spot(self.unit, self.line(first), self.end_line(last or first))

    @property
    def name(self) -> str:
        """How titles and summaries name the unit (an inline handler has no name)."""
        return display_name(self.unit)

    @property
    def ref(self) -> str:
        """How explanations name the unit: as code, or in words for an inline function."""
        name = self.name
        return name if name.startswith(("the ", "an ")) else f"`{name}`"

    @property
    def short_name(self) -> str:
        """The unit's name without its class: how calls name it."""
        return self.unit.name.rsplit(".", 1)[-1]

    @cached_property
    def calls(self) -> list[Call]:
        """Every call in the unit's function, outermost of each chain marked, in source order."""
        return calls_in(self.function, self.language)

    def is_async(self, function: Node | None = None) -> bool:
        """Whether a function (the unit's by default) is declared `async`."""
        node = function or self.function
        return any(child.type == "async" for child in node.children)

    def enclosing_function(self, node: Node) -> Node:
        """The innermost function (of the unit) that holds `node`."""
        current = node.parent
        while current is not None and current != self.function:
            if current.type in self.syntax.functions:
                return current
            current = current.parent
        return self.function

    def functions(self) -> list[Node]:
        """The unit's function and the functions nested in it."""
        return nodes_of(self.function, self.language, self.syntax.functions)


def display_name(unit: CodeUnit) -> str:
    """`OrderService.total`, or `the inline handler` for `app.get('/', (req, res) => …)`."""
    if unit.name != "anonymous":
        return unit.name
    return "the inline handler" if unit.depth == 0 else "an inline function"


def parse_unit(unit: CodeUnit) -> UnitCode | None:
    """The unit parsed, or None when its language has no grammar here or no function parses."""
    syntax = SYNTAX.get(unit.language)
    if syntax is None or unit.language not in _ATTEMPTS:
        return None
    parser = Parser(Language(load_language(unit.language)))
    source = unit.source
    parsed: tuple[Node, int] | None = None
    for prefix, suffix in _ATTEMPTS[unit.language]:
        root = parser.parse((prefix + source + suffix).encode()).root_node
        shift = prefix.count("\n")
        if parsed is None or not root.has_error:
            parsed = (root, shift)
        if not root.has_error:
            break
    if parsed is None:
        return None
    root, shift = parsed
    last_row = source.count("\n") + shift
    function = _own_function(root, unit.language, syntax, last_row)
    if function is None:
        return None
    return UnitCode(unit, root, function, unit.line_start - shift, syntax)


def _own_function(root: Node, language: str, syntax: Syntax, last_row: int) -> Node | None:
    candidates = [
        n for n in nodes_of(root, language, syntax.functions) if n.end_point.row == last_row
    ]
    if not candidates:
        candidates = nodes_of(root, language, syntax.functions)
    return max(candidates, key=lambda n: n.end_byte - n.start_byte, default=None)
