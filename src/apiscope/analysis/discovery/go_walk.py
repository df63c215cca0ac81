"""Walking one Go function body for router values: the statement-level half of the Go engine.

Variables, struct fields and package variables that hold routers are tracked through
assignments; a call on one of them is handed to the framework's `Dialect`; a call of a project
function passes routers into its parameters and takes a router from its result. Everything else
is walked through for nested calls and closures, never interpreted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tree_sitter import Node

from apiscope.analysis.discovery.go_ast import GoFunction, line_of, parameters, type_name
from apiscope.analysis.discovery.go_dialect import FOREIGN, UNHANDLED, Engine, GoCall, Ref
from apiscope.analysis.discovery.project import SourceFile

HANDLER_NODES = frozenset({"identifier", "selector_expression", "func_literal", "call_expression"})
SKIPPED_NODES = frozenset({"function_declaration", "method_declaration", "comment"})


@dataclass
class GoWalk:
    """One function body (or closure): local router variables and their types."""

    engine: Engine
    file: SourceFile
    env: dict[str, object] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    returns: list[object] = field(default_factory=list)

    def function(self, function: GoFunction) -> None:
        """Walk a declared function with its router parameters bound to their own nodes."""
        receiver = parameters(self.file, function.node.child_by_field_name("receiver"))
        for index, param in enumerate((*receiver, *function.params)):
            self.types[param.name] = type_name(self.file, param.type)[1]
            if index >= len(receiver) and self.engine.is_router_type(self.file, param.type):
                self.env[param.name] = self.engine.param_ref(function, index - len(receiver))
            elif self.engine.is_foreign_type(self.file, param.type):
                self.env[param.name] = FOREIGN
        if function.body is not None:
            self.visit(function.body)

    def closure(self, literal: Node, bound: Ref | None = None) -> None:
        """Walk a function literal; its first parameter is `bound` when a dialect says so,
        otherwise its router-typed parameters are fresh roots."""
        inner = GoWalk(self.engine, self.file, dict(self.env), dict(self.types))
        for index, param in enumerate(
            parameters(self.file, literal.child_by_field_name("parameters"))
        ):
            if bound is not None and index == 0:
                inner.env[param.name] = bound
            elif self.engine.is_router_type(self.file, param.type):
                inner.env[param.name] = Ref(("closure", self.file.path, literal.start_byte, index))
        body = literal.child_by_field_name("body")
        if body is not None:
            inner.visit(body)

    def visit(self, node: Node) -> None:
        """Walk a statement or any node that may contain calls."""
        kind = node.type
        if kind in ("short_var_declaration", "assignment_statement", "var_spec"):
            self.assign(node)
        elif kind == "return_statement":
            values = [self.eval(c) for c in node.named_children for c in _expressions(c)]
            self.returns += values
            for value in values:
                self.engine.dialect.finish(value)
        elif kind in ("expression_statement", "call_expression", "func_literal"):
            for expression in node.named_children if kind == "expression_statement" else [node]:
                self.engine.dialect.finish(self.eval(expression))
        elif kind not in SKIPPED_NODES:
            for inner in node.named_children:
                self.visit(inner)

    def assign(self, node: Node) -> None:
        """`x := r.Group("/v1")`, `s.router = mux.NewRouter()`, `var r = chi.NewRouter()`."""
        left = _expressions(node.child_by_field_name("left") or node.child_by_field_name("name"))
        if node.type == "var_spec":
            left = [n for n in node.children_by_field_name("name") if n.is_named]
        right = node.child_by_field_name("right") or node.child_by_field_name("value")
        values = [self.eval(v) for v in _expressions(right)]
        declares = node.type != "assignment_statement"
        for target, value in zip(left, values, strict=False):
            self.engine.dialect.finish(value)
            self._store(target, value, right, declares)

    def _store(self, target: Node, value: object, right: Node | None, declares: bool) -> None:
        name = self.file.text(target)
        if target.type == "identifier":
            shadowed = declares or name in self.env
            global_ref = None if shadowed else self.engine.variable(self.file, name)
            if global_ref is not None:
                self.engine.mount(global_ref, value)
            self.env[name] = value
            self.types[name] = self._type_of(right) if right is not None else ""
        elif target.type == "selector_expression":
            field_name = target.child_by_field_name("field")
            ref = self.engine.field(self.file.text(field_name)) if field_name else None
            if ref is not None:
                self.engine.mount(ref, value)

    def _type_of(self, right: Node) -> str:
        """The type a value has, as far as a constructor call or literal says."""
        expressions = _expressions(right)
        node = expressions[0] if expressions else right
        while node.type == "unary_expression" and node.named_children:
            node = node.named_children[-1]
        if node.type == "composite_literal":
            return type_name(self.file, node.child_by_field_name("type"))[1]
        function = node.child_by_field_name("function") if node.type == "call_expression" else None
        return self.engine.result_type(self, function) if function is not None else ""

    def eval(self, node: Node) -> object:
        """A router value the expression denotes, walking inside it for nested calls."""
        kind = node.type
        if kind == "identifier":
            name = self.file.text(node)
            return self.env[name] if name in self.env else self.engine.variable(self.file, name)
        if kind == "selector_expression":
            return self._selector(node)
        if kind == "call_expression":
            return self._call(node)
        if kind == "func_literal":
            self.closure(node)
            return None
        if kind == "keyed_element":
            self._keyed(node)
            return None
        if kind in ("parenthesized_expression", "unary_expression") and node.named_children:
            return self.eval(node.named_children[-1])
        for inner in node.named_children:
            self.eval(inner)
        return None

    def _selector(self, node: Node) -> object:
        operand, field_name = node.child_by_field_name("operand"), node.child_by_field_name("field")
        if operand is None or self.package_of(operand) is not None:
            return None
        self.eval(operand)
        return self.engine.field(self.file.text(field_name)) if field_name else None

    def _keyed(self, node: Node) -> None:
        """`&Server{router: r}` sets a router field."""
        key, value = node.child_by_field_name("key"), node.child_by_field_name("value")
        evaluated = self.eval(value.named_children[0]) if value and value.named_children else None
        ref = self.engine.field(self.file.text(key)) if key else None
        if ref is not None and evaluated is not None:
            self.engine.mount(ref, evaluated)

    def _call(self, node: Node) -> object:
        function = node.child_by_field_name("function")
        arguments = node.child_by_field_name("arguments")
        args = [a for a in (arguments.named_children if arguments else []) if a.type != "comment"]
        if function is None:
            return None
        if function.type != "selector_expression":
            return self._plain_call(function, node, args)
        operand, name_node = (
            function.child_by_field_name("operand"),
            function.child_by_field_name("field"),
        )
        call = GoCall(self, node, args, line_of(name_node or node))
        name = self.file.text(name_node) if name_node else ""
        package = self.package_of(operand)
        if package is not None and self.engine.owns(package):
            result = self.engine.dialect.package_call(call, name)
        elif package is not None and self.engine.is_foreign(package):
            return FOREIGN
        elif package is None and operand is not None:
            receiver = self.eval(operand)
            result = (
                self.engine.dialect.method_call(call, receiver, name)
                if receiver is not None
                else UNHANDLED
            )
        else:
            result = UNHANDLED
        return self._plain_call(function, node, args) if result is UNHANDLED else result

    def _plain_call(self, function: Node, node: Node, args: list[Node]) -> object:
        """A call of a project function: routers go into its parameters, one comes out."""
        values = [self.eval(a) for a in args]
        if function.type == "func_literal":
            self.closure(function)
            return None
        result: object = None
        for callee in self.engine.resolve(self, function):
            for index, (value, param) in enumerate(zip(values, callee.params, strict=False)):
                if isinstance(value, Ref) and self.engine.is_router_type(callee.file, param.type):
                    self.engine.mount(self.engine.param_ref(callee, index), value)
            result = result or self.engine.returned(callee)
        return result

    def type_of_operand(self, operand: Node) -> str:
        """A method call's receiver type, when a variable's or a literal's type says it."""
        while (
            operand.type in ("parenthesized_expression", "unary_expression")
            and operand.named_children
        ):
            operand = operand.named_children[-1]
        if operand.type == "composite_literal":
            return type_name(self.file, operand.child_by_field_name("type"))[1]
        return self.types.get(self.file.text(operand), "") if operand.type == "identifier" else ""

    def package_of(self, operand: Node | None) -> str | None:
        """The import path when the operand names an imported package, not a variable."""
        if operand is None or operand.type != "identifier":
            return None
        name = self.file.text(operand)
        return None if name in self.env else self.engine.imports(self.file).get(name)

    def handler_name(self, node: Node) -> str:
        """`h.GetUser`, `handlers.GetUser`, `anonymous`; a wrapper like `auth(h)` or
        `http.HandlerFunc(h)` named by what it wraps, a factory like `s.handleIndex()` by itself."""
        if node.type == "func_literal":
            return "anonymous"
        function = node.child_by_field_name("function") if node.type == "call_expression" else None
        if function is None:
            return self.file.text(node)
        arguments = node.child_by_field_name("arguments")
        args = [a for a in arguments.named_children if a.type != "comment"] if arguments else []
        named = [a for a in args if a.type in HANDLER_NODES and a.type != "call_expression"]
        if named:
            return self.handler_name(named[-1])
        if len(args) == 1 and args[0].type == "call_expression":
            return self.handler_name(args[0])
        return self.file.text(function)


def _expressions(node: Node | None) -> list[Node]:
    if node is None:
        return []
    return list(node.named_children) if node.type == "expression_list" else [node]
