"""Which HTTP methods a Next.js `pages/api` handler serves, when its code says so.

A `pages/api` handler receives every method; many branch on `req.method` (`===`, `switch`,
`['GET', 'POST'].includes(req.method)`), route with next-connect (`nc().get(h).post(h)`,
`createRouter().get(h)`), or export a method map (`apiHandler({ get: list, post: create })`).
Those methods become one route each; a handler that never looks at the method is `ANY`.
"""

from __future__ import annotations

from functools import cache

from tree_sitter import Language, Node, Query, QueryCursor

from apiscope.analysis.discovery.frameworks.js_value_types import Created
from apiscope.analysis.discovery.frameworks.js_values import Values
from apiscope.analysis.discovery.js_ast import (
    call_arguments,
    calls,
    handler_name,
    line_of,
    member_call,
    method_line,
    named,
    string_literal,
    unwrap,
)
from apiscope.analysis.discovery.languages import load_language
from apiscope.analysis.discovery.project import SourceFile

HTTP_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})
_CONNECT_PACKAGES = frozenset({"next-connect"})
_EQUALITY = frozenset({"===", "==", "!==", "!="})
Methods = dict[str, tuple[int | None, str | None]]
"""Method → (line, handler) of the router call declaring it; (None, None) for a method check."""


def declared_methods(values: Values, file: SourceFile, exported: Node) -> Methods:
    """The methods a handler file distinguishes; empty when it answers them all alike."""
    return (
        _connect_methods(values, file)
        or _method_map(file, exported)
        or {m: (None, None) for m in _checked_methods(file)}
    )


def _method_map(file: SourceFile, exported: Node) -> Methods:
    """`export default apiHandler({ get: getUsers, post: createUser })`: a handler per method."""
    call = unwrap(exported)
    args = call_arguments(call) if call.type == "call_expression" else []
    found: Methods = {}
    for pair in named(args[0]) if args and unwrap(args[0]).type == "object" else []:
        key, value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
        method = file.text(key).strip("'\"").upper() if key is not None else ""
        if pair.type == "pair" and value is not None and method in HTTP_METHODS:
            found[method] = (line_of(pair), handler_name(file, value))
        elif (
            pair.type == "shorthand_property_identifier" and file.text(pair).upper() in HTTP_METHODS
        ):
            found[file.text(pair).upper()] = (line_of(pair), file.text(pair))
    return found


def _connect_methods(values: Values, file: SourceFile) -> Methods:
    """next-connect: `.get(handler)` and friends on a router it created."""
    if b"next-connect" not in file.source:
        return {}
    found: Methods = {}
    for call in calls(file):
        parts = member_call(call)
        args = call_arguments(call)
        if (
            parts is not None
            and parts[1].upper() in HTTP_METHODS
            and args
            and _is_connect(values, file, parts[0])
        ):
            found.setdefault(parts[1].upper(), (method_line(call), handler_name(file, args[-1])))
    return found


def _is_connect(values: Values, file: SourceFile, receiver: Node) -> bool:
    """Whether a chain starts at a next-connect router (`nc()`, `createRouter()`)."""
    parts = member_call(unwrap(receiver))
    while parts is not None:
        receiver, parts = parts[0], member_call(unwrap(parts[0]))
    value = values.value(file.path, receiver)
    return isinstance(value, Created) and value.factory.package in _CONNECT_PACKAGES


def _checked_methods(file: SourceFile) -> list[str]:
    """Methods compared with `<request>.method` anywhere in the file."""
    found: set[str] = set()
    for member in QueryCursor(_method_query(file.language)).captures(file.root).get("member", []):
        found.update(s.upper() for s in _compared(file, member))
    return sorted(found & HTTP_METHODS)


def _compared(file: SourceFile, member: Node) -> list[str]:
    parent = member.parent
    while parent is not None and parent.type in (
        "parenthesized_expression",
        "as_expression",
        "non_null_expression",
    ):
        member, parent = parent, parent.parent
    if parent is None:
        return []
    if parent.type == "binary_expression" and _operator(parent) in _EQUALITY:
        other = [c for c in named(parent) if c != member]
        return [s for s in (string_literal(file, c) for c in other) if s is not None]
    if parent.type == "switch_statement":
        cases = named(parent.child_by_field_name("body"))
        values = [c.child_by_field_name("value") for c in cases if c.type == "switch_case"]
        return [
            s for s in (string_literal(file, v) for v in values if v is not None) if s is not None
        ]
    holder = parent.parent if parent.type == "arguments" else None
    parts = member_call(holder) if holder is not None else None
    if parts is not None and parts[1] == "includes" and unwrap(parts[0]).type == "array":
        return [
            s for s in (string_literal(file, i) for i in named(unwrap(parts[0]))) if s is not None
        ]
    return []


def _operator(node: Node) -> str:
    operator = node.child_by_field_name("operator")
    return operator.type if operator is not None else ""


@cache
def _method_query(language: str) -> Query:
    pattern = (
        '(member_expression property: (property_identifier) @name (#eq? @name "method")) @member'
    )
    return Query(Language(load_language(language)), pattern)
