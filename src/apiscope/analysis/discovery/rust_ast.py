"""Rust router builders evaluated as values: the engine actix-web and axum discoverers share.

Both frameworks build routers with method chains (`Router::new().route(..).nest(..)`,
`App::new().service(web::scope(..))`), often spread over functions in several modules. Every
builder is a `Unit` collecting routes relative to itself; nesting one unit into another copies its
routes under a prefix and marks it consumed. Each function is evaluated once, so a router function
nested under two prefixes appears under both; a unit nobody consumed is a root and its routes are
served as they are. Test functions and `#[cfg(test)]` modules are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from tree_sitter import Node

from apiscope.analysis.discovery.paths import join_route
from apiscope.analysis.discovery.project import SourceFile

if TYPE_CHECKING:
    from apiscope.analysis.discovery.rust_walk import RustWalk

UNHANDLED = object()
"""A dialect's answer for a call it does not interpret: the engine evaluates it generically."""
_TEST_ATTRIBUTE = re.compile(r"^#\[(?:[\w:]+::)?test\b|^#\[cfg\(test\)\]")
FLOW_NODES = frozenset(
    {"await_expression", "try_expression", "reference_expression", "parenthesized_expression"}
)


def line_of(node: Node) -> int:
    """The 1-based line a node starts on."""
    return node.start_point.row + 1


def string_value(file: SourceFile, node: Node | None) -> str | None:
    """A string literal's value (raw strings included); None for anything computed."""
    if node is None or node.type not in ("string_literal", "raw_string_literal"):
        return None
    content = [c for c in node.named_children if c.type == "string_content"]
    return "".join(file.text(c) for c in content)


@dataclass(frozen=True)
class Declared:
    """A route relative to the unit holding it."""

    method: str
    path: str
    file: str
    line: int
    handler: str


@dataclass(eq=False)
class Unit:
    """A router, scope, resource or method router under construction."""

    kind: str
    prefix: str = ""
    routes: list[Declared] = field(default_factory=list)
    handlers: list[tuple[str, str]] = field(default_factory=list)
    """For a method router: (method, handler) pairs, e.g. axum `get(a).post(b)`."""
    consumed: bool = False

    def nest(self, child: Unit, prefix: str = "") -> None:
        """Serve `child`'s routes under this unit, below `prefix`."""
        child.consumed = True
        for route in child.routes:
            path = join_route(prefix, child.prefix, route.path)
            self.routes.append(Declared(route.method, path, route.file, route.line, route.handler))


@dataclass
class RustCall:
    """A call as a dialect sees it."""

    walk: RustWalk
    node: Node
    args: list[Node]
    line: int

    def string(self, index: int) -> str | None:
        """The argument's string literal value."""
        return string_value(self.walk.file, self.args[index]) if index < len(self.args) else None

    def value(self, index: int) -> Unit | None:
        """The argument evaluated as a unit."""
        return self.walk.eval(self.args[index]) if index < len(self.args) else None

    def handler(self, index: int) -> str:
        """The handler as written (`handlers::get_user`), `anonymous` for a closure."""
        if index >= len(self.args) or self.args[index].type == "closure_expression":
            return "anonymous"
        return self.walk.file.text(self.args[index])

    def route(self, unit: Unit, method: str, path: str, handler: str) -> None:
        """Declare a route on a unit."""
        unit.routes.append(Declared(method, path, self.walk.file.path, self.line, handler))


class RustDialect(Protocol):
    """One framework's builders."""

    framework: str
    marker: bytes
    """Files not mentioning this (`actix`, `axum`) are not read."""

    def function_call(self, call: RustCall, path: str) -> object:
        """`Router::new()`, `web::scope("/x")`, `get(h)`: a unit, None, or UNHANDLED."""
        ...

    def method_call(self, call: RustCall, receiver: Unit, name: str) -> object:
        """A method called on a unit: the resulting unit, or UNHANDLED to pass it through."""
        ...

    def parameter(self, type_text: str) -> Unit | None:
        """A fresh unit for a parameter of this type (`&mut web::ServiceConfig`), or None."""
        ...

    def declarations(self, file: SourceFile) -> Iterator[tuple[str, Unit]]:
        """Named units declared outside builders (actix's `#[get("/x")]` functions)."""
        ...

    def normalize(self, path: str) -> str:
        """The framework's parameter syntax rewritten to `{name}`."""
        ...


class Engine(Protocol):
    """What a walk needs from the project-wide engine."""

    dialect: RustDialect
    named: dict[str, Unit]

    def unit(self, unit: Unit) -> Unit: ...
    def evaluate(self, file: SourceFile, node: Node) -> tuple[Unit | None, list[Unit]]: ...
    def resolve(self, file: SourceFile, path: str) -> list[tuple[SourceFile, Node]]: ...


def is_test(file: SourceFile, node: Node) -> bool:
    """A `#[test]`-like function or a `#[cfg(test)]` module, by the attributes before it."""
    sibling = node.prev_named_sibling
    while sibling is not None and sibling.type in (
        "attribute_item",
        "line_comment",
        "block_comment",
    ):
        if sibling.type == "attribute_item" and _TEST_ATTRIBUTE.search(file.text(sibling)):
            return True
        sibling = sibling.prev_named_sibling
    return False


def attributes(node: Node) -> Iterator[Node]:
    """The attribute items directly before a declaration, nearest first."""
    sibling = node.prev_named_sibling
    while sibling is not None and sibling.type in (
        "attribute_item",
        "line_comment",
        "block_comment",
    ):
        if sibling.type == "attribute_item":
            yield sibling
        sibling = sibling.prev_named_sibling


def functions(file: SourceFile, node: Node) -> Iterator[Node]:
    """Every function item, in impl blocks and modules too, tests left out."""
    for inner in node.named_children:
        if inner.type in ("function_item", "mod_item") and is_test(file, inner):
            continue
        if inner.type == "function_item":
            yield inner
        yield from functions(file, inner)


def is_test_path(path: str) -> bool:
    """Integration tests and benchmarks live in `tests/` and `benches/` folders."""
    return bool({"tests", "benches"}.intersection(path.split("/")[:-1]))
