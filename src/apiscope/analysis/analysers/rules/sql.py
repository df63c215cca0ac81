"""SQL written in string literals: which strings are `SELECT`s, and what they leave unbounded."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from apiscope.analysis.analysers.context.syntax import nodes_of, text
from apiscope.analysis.analysers.rules.code import UnitCode

_STRINGS = frozenset(
    {"string", "template_string", "string_literal", "interpreted_string_literal",
     "raw_string_literal", "encapsed_string", "text_block", "verbatim_string_literal",
     "heredoc_body", "string_content"}
)  # fmt: skip
_SELECT = re.compile(r"^\s*select\b", re.IGNORECASE)
_BOUNDED = re.compile(
    r"\b(where|limit|top|fetch\s+first|offset|rownum)\b|\b(count|sum|avg|min|max)\s*\(|"
    r"\bgroup\s+by\b",
    re.IGNORECASE,
)
_STAR = re.compile(
    r"^\s*select\s+(distinct\s+)?(\w+\.)?\*\s*,?\s*.*?\bfrom\b", re.IGNORECASE | re.DOTALL
)
_QUOTES = re.compile(r"^[A-Za-z@$]*(\"\"\"|'''|\"|'|`)|(\"\"\"|'''|\"|'|`)$")


def select_strings(code: UnitCode) -> Iterator[tuple[Node, str]]:
    """String literals in the unit that hold a `SELECT` (outermost literal only)."""
    seen: list[Node] = []
    for node in nodes_of(code.function, code.language, _STRINGS):
        if any(s.start_byte <= node.start_byte and node.end_byte <= s.end_byte for s in seen):
            continue
        sql = _QUOTES.sub("", text(node))
        if _SELECT.match(sql) and re.search(r"\bfrom\b", sql, re.IGNORECASE):
            seen.append(node)
            yield node, sql


def whole_table(sql: str) -> bool:
    """A `SELECT … FROM` with no `WHERE`, `LIMIT`, aggregate or grouping: every row."""
    return _BOUNDED.search(sql) is None


def selects_star(sql: str) -> bool:
    """`SELECT *` (or `t.*`): every column, wanted or not."""
    return _STAR.match(sql) is not None
