"""Evaluating one Rust function body or closure for builder units: the expression half of the
actix-web / axum engine. `let` bindings carry units; calls go to the framework's dialect; a call
of a project function takes the unit it returns; everything else is walked for nested calls."""

from __future__ import annotations

from dataclasses import dataclass, field

from tree_sitter import Node

from apiscope.analysis.discovery.project import SourceFile
from apiscope.analysis.discovery.rust_ast import (
    FLOW_NODES,
    UNHANDLED,
    Engine,
    RustCall,
    Unit,
    line_of,
)


@dataclass
class RustWalk:
    """One function body or closure: `let` bindings to units, and what it returns."""

    engine: Engine
    file: SourceFile
    env: dict[str, Unit | None]
    returns: list[Unit | None] = field(default_factory=list)

    def bind_parameters(self, parameters: Node | None) -> list[Unit]:
        """Bind parameters the dialect builds on (`cfg: &mut web::ServiceConfig`)."""
        bound: list[Unit] = []
        for param in parameters.named_children if parameters else ():
            pattern, kind = param.child_by_field_name("pattern"), param.child_by_field_name("type")
            unit = self.engine.dialect.parameter(self.file.text(kind)) if kind else None
            if pattern is not None and unit is not None:
                self.env[self.file.text(pattern).removeprefix("mut ")] = self.engine.unit(unit)
                bound.append(unit)
        return bound

    def eval(self, node: Node) -> Unit | None:
        """The unit an expression evaluates to, evaluating everything inside it."""
        kind = node.type
        if kind == "call_expression":
            return self._call(node)
        if kind in ("identifier", "scoped_identifier"):
            name = self.file.text(node)
            return (
                self.env[name] if name in self.env else self.engine.named.get(name.split("::")[-1])
            )
        if kind in ("block", "async_block"):
            return self._block(node)
        if kind in FLOW_NODES and node.named_children:
            return self.eval(node.named_children[0])
        self._statement(node)
        return None

    def _statement(self, node: Node) -> None:
        """Anything that is not a value: bindings, returns, closures, nested expressions."""
        kind = node.type
        if kind == "let_declaration":
            self._let(node)
        elif kind == "return_expression":
            self.returns += [self.eval(c) for c in node.named_children]
        elif kind == "closure_expression":
            body = node.child_by_field_name("body")
            if body is not None:
                RustWalk(self.engine, self.file, dict(self.env)).eval(body)
        elif kind not in ("function_item", "macro_invocation", "attribute_item", "mod_item"):
            for inner in node.named_children:
                self.eval(inner)

    def _block(self, node: Node) -> Unit | None:
        value: Unit | None = None
        for statement in node.named_children:
            value = self.eval(statement)
        tail = node.named_children[-1] if node.named_children else None
        return (
            value
            if tail is not None and tail.type not in ("expression_statement", "let_declaration")
            else None
        )

    def _let(self, node: Node) -> None:
        pattern, value = node.child_by_field_name("pattern"), node.child_by_field_name("value")
        unit = self.eval(value) if value is not None else None
        if pattern is not None:
            self.env[self.file.text(pattern).removeprefix("mut ")] = unit

    def _call(self, node: Node) -> Unit | None:
        function = node.child_by_field_name("function")
        arguments = node.child_by_field_name("arguments")
        args = [
            a for a in (arguments.named_children if arguments else []) if a.type != "line_comment"
        ]
        if function is None:
            return None
        if function.type == "generic_function":
            function = function.child_by_field_name("function") or function
        if function.type == "field_expression":
            return self._method(node, function, args)
        name = self.file.text(function)
        call = RustCall(self, node, args, line_of(function))
        result = self.engine.dialect.function_call(call, name)
        if result is not UNHANDLED:
            return result if isinstance(result, Unit) else None
        for arg in args:
            self.eval(arg)
        return self._user_function(name)

    def _method(self, node: Node, function: Node, args: list[Node]) -> Unit | None:
        value, name_node = (
            function.child_by_field_name("value"),
            function.child_by_field_name("field"),
        )
        receiver = self.eval(value) if value is not None else None
        call = RustCall(self, node, args, line_of(name_node or node))
        name = self.file.text(name_node) if name_node else ""
        if receiver is not None:
            result = self.engine.dialect.method_call(call, receiver, name)
            if result is not UNHANDLED:
                return result if isinstance(result, Unit) else None
        for arg in args:
            self.eval(arg)
        if receiver is not None:
            return (
                receiver  # builders return themselves: `.layer(..)`, `.with_state(..)`, `.wrap(..)`
            )
        return (
            self._user_function(name)
            if value is not None and self.file.text(value) == "self"
            else None
        )

    def _user_function(self, path: str) -> Unit | None:
        found = self.engine.resolve(self.file, path)
        return self.engine.evaluate(*found[0])[0] if found else None

    def function_reference(self, node: Node) -> tuple[Unit | None, list[Unit]]:
        """A function named as a value (`.configure(routes::config)`): its units."""
        found = self.engine.resolve(self.file, self.file.text(node))
        return self.engine.evaluate(*found[0]) if found else (None, [])
