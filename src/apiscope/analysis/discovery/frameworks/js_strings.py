"""The string a JS/TS expression always has, when it has one: how route paths are read.

Paths are literals most of the time, but real apps build them: `${API_PREFIX}/users`,
`BASE + '/list'`, `process.env.PREFIX || '/api'`, `Paths.Admin`, `this.path`. Each part is
followed through `Values`; a part that depends on input or the environment alone makes the
whole string unknown (None), so no route is ever reported with a made-up path.
"""

from __future__ import annotations

from tree_sitter import Node

from apiscope.analysis.discovery.frameworks.js_value_types import Env, Ref
from apiscope.analysis.discovery.frameworks.js_values import MAX_DEPTH, Values
from apiscope.analysis.discovery.js_ast import named, string_literal, unwrap


def constant_string(
    values: Values, path: str, node: Node, env: Env | None = None, depth: int = 0
) -> str | None:
    """The string an expression always has: literal, constant, `${a}/b`, `a + b`, `x || 'd'`."""
    literal = string_literal(values.modules.file(path), node)
    if literal is not None or depth > MAX_DEPTH:
        return literal
    node = unwrap(node)
    if node.type == "template_string":
        return _template(values, path, node, env, depth)
    if node.type == "binary_expression":
        return _binary_string(values, path, node, env, depth)
    value = values.value(path, node, env, depth + 1)
    if isinstance(value, Ref) and value.node != node:
        return constant_string(values, value.path, value.node, None, depth + 1)
    return None


def _template(values: Values, path: str, node: Node, env: Env | None, depth: int) -> str | None:
    text = values.modules.file(path).source
    parts: list[str] = []
    cursor = node.start_byte + 1
    for sub in (c for c in named(node) if c.type == "template_substitution"):
        inner = named(sub)
        value = constant_string(values, path, inner[0], env, depth + 1) if inner else None
        if value is None:
            return None
        parts += [text[cursor : sub.start_byte].decode(errors="replace"), value]
        cursor = sub.end_byte
    return "".join([*parts, text[cursor : node.end_byte - 1].decode(errors="replace")])


def _binary_string(
    values: Values, path: str, node: Node, env: Env | None, depth: int
) -> str | None:
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    operator = node.child_by_field_name("operator")
    if left is None or right is None or operator is None:
        return None
    first = constant_string(values, path, left, env, depth + 1)
    if operator.type in ("||", "??"):  # `process.env.PREFIX || '/api'`
        return first if first is not None else constant_string(values, path, right, env, depth + 1)
    second = constant_string(values, path, right, env, depth + 1) if operator.type == "+" else None
    return None if first is None or second is None else first + second
