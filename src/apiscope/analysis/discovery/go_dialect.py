"""What a Go framework plugs into the router engine, and what the engine hands it.

A `Dialect` says which packages and types are a framework's routers and interprets calls on
them through `GoCall`, which evaluates arguments on request. `Ref` is a router value: a node of the
engine's graph and the prefix a group adds within it.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from tree_sitter import Node

from apiscope.analysis.discovery.go_ast import GoFunction, child
from apiscope.analysis.discovery.project import SourceFile

if TYPE_CHECKING:
    from apiscope.analysis.discovery.go_walk import GoWalk

ROUTER_PACKAGES = frozenset(
    {"github.com/gin-gonic/gin", "github.com/labstack/echo", "github.com/go-chi/chi",
     "github.com/gorilla/mux", "net/http", "gopkg.in/gin-gonic/gin", "gopkg.in/labstack/echo"}
)  # fmt: skip
FOREIGN = object()
"""Another framework's router: opaque to this walk, and no route when handed to `Handle`."""
UNHANDLED = object()
"""A dialect's answer for a call it does not interpret: the walker then looks inside it."""


@dataclass(frozen=True)
class Ref:
    """A router value: a graph node and the prefix a group adds within it."""

    node: Hashable
    prefix: str = ""


class Dialect(Protocol):
    """One framework's routers: its packages, router types and what their methods do."""

    @property
    def framework(self) -> str:
        """The framework id routes carry (`gin`)."""
        ...

    @property
    def packages(self) -> tuple[str, ...]:
        """Import paths of the framework, without a `/vN` suffix."""
        ...

    @property
    def router_types(self) -> frozenset[str]:
        """Type names in those packages whose values are routers (`RouterGroup`)."""
        ...

    def package_call(self, call: GoCall, name: str) -> object:
        """A call of one of the framework's package functions (`gin.Default()`), or UNHANDLED."""
        ...

    def method_call(self, call: GoCall, receiver: object, name: str) -> object:
        """A method called on one of the framework's router values; the result's value."""
        ...

    def finish(self, value: object) -> None:
        """A value left over at the end of a statement (gorilla completes a route here)."""
        ...

    def normalize(self, path: str) -> str:
        """The framework's parameter syntax rewritten to `{name}`."""
        ...


class Engine(Protocol):
    """What a walk needs from the project-wide engine."""

    dialect: Dialect

    def string(self, file: SourceFile, node: Node) -> str | None: ...
    def imports(self, file: SourceFile) -> dict[str, str]: ...
    def is_router_type(self, file: SourceFile, node: Node | None) -> bool: ...
    def is_foreign_type(self, file: SourceFile, node: Node | None) -> bool: ...
    def is_foreign(self, import_path: str) -> bool: ...
    def owns(self, import_path: str) -> bool: ...
    def variable(self, file: SourceFile, name: str) -> Ref | None: ...
    def field(self, name: str) -> Ref | None: ...
    def resolve(self, walk: GoWalk, function: Node) -> list[GoFunction]: ...
    def returned(self, function: GoFunction) -> object: ...
    def result_type(self, walk: GoWalk, function: Node) -> str: ...
    def param_ref(self, function: GoFunction, index: int) -> Ref: ...
    def mount(self, child: object, parent: object, prefix: str = "") -> None: ...
    def add_route(
        self, ref: Ref, method: str, path: str, file: SourceFile, line: int, handler: str
    ) -> None: ...


@dataclass
class GoCall:
    """A call as a dialect sees it: its arguments, evaluated on request."""

    walk: GoWalk
    node: Node
    args: list[Node]
    line: int

    def string(self, index: int) -> str | None:
        """The argument's string value, None when absent or computed."""
        arg = self.arg(index)
        return self.walk.engine.string(self.walk.file, arg) if arg is not None else None

    def arg(self, index: int) -> Node | None:
        """The argument node at `index` (negative counts from the end)."""
        return self.args[index] if -len(self.args) <= index < len(self.args) else None

    def value(self, index: int) -> object:
        """The argument evaluated as a router value (None when it is not one)."""
        arg = self.arg(index)
        return self.walk.eval(arg) if arg is not None else None

    def handler(self, index: int) -> str:
        """The handler's name as written; `anonymous` for a function literal."""
        arg = self.arg(index)
        return self.walk.handler_name(arg) if arg is not None else "anonymous"

    def route(self, ref: Ref, method: str, path: str, handler: str) -> None:
        """Declare a route on a router value."""
        self.walk.engine.add_route(ref, method, path, self.walk.file, self.line, handler)

    def bind(self, index: int, ref: Ref) -> None:
        """Run a `func(r Router) {...}` argument (or a named function) with `r` as `ref`."""
        arg = self.arg(index)
        if arg is not None and arg.type == "func_literal":
            self.walk.closure(arg, ref)
        elif arg is not None:
            for function in self.walk.engine.resolve(self.walk, arg):
                self.walk.engine.mount(self.walk.engine.param_ref(function, 0), ref)

    def methods(self, start: int, stop: int | None = None) -> list[str]:
        """HTTP methods among the arguments: `"GET"`, `http.MethodGet`, `[]string{...}`."""
        found: list[str] = []
        for arg in self.args[start:stop]:
            body = child(arg, "literal_value") if arg.type == "composite_literal" else None
            items = (
                [e.named_children[0] for e in body.named_children if e.named_children]
                if body
                else [arg]
            )
            for item in items:
                text = self.walk.engine.string(self.walk.file, item) or self.walk.file.text(item)
                found.append(text.removeprefix("http.Method").upper())
        return [m for m in found if m.isalpha()]

    def visit_args(self) -> None:
        """Look inside every argument for nested calls and closures."""
        for arg in self.args:
            self.walk.eval(arg)
