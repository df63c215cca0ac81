"""ASP.NET Core minimal APIs: `app.MapGet("/x", ...)` with the prefixes of `MapGroup` resolved.

A receiver is followed back to where its prefix comes from: a `MapGroup("/api")` call (through
fluent calls such as `.WithTags(...)`), a local variable holding one, or the parameter of a
helper such as `static void MapTodos(this RouteGroupBuilder group)`, whose prefixes are those of
its call sites (`app.MapGroup("/todos").MapTodos()`). Any other receiver is the application root.
Handlers are the method group as written (`TodoHandlers.GetAll`), or `anonymous` for a lambda.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from tree_sitter import Node

from apiscope.analysis.discovery.aspnet_templates import aspnet_path
from apiscope.analysis.discovery.csharp_ast import Constants, declared_name, line_of, simple_name
from apiscope.analysis.discovery.paths import join_paths
from apiscope.analysis.discovery.project import SourceFile
from apiscope.analysis.routes import Route

MAP_VERBS = {
    "MapGet": "GET", "MapPost": "POST", "MapPut": "PUT", "MapDelete": "DELETE",
    "MapPatch": "PATCH",
}  # fmt: skip
BUILDER_TYPES = frozenset(
    {"IEndpointRouteBuilder", "RouteGroupBuilder", "WebApplication", "IApplicationBuilder"}
)
_SCOPES = frozenset({"method_declaration", "local_function_statement", "constructor_declaration"})


@dataclass(frozen=True)
class Invocation:
    """`receiver.Name(args)` or `Name(args)`, with the file it is written in."""

    file: SourceFile
    node: Node
    name: str
    receiver: Node | None
    args: tuple[Node, ...]


def invocations(file: SourceFile, node: Node) -> Iterator[Invocation]:
    """Every method call in a subtree."""
    if node.type == "invocation_expression":
        function = node.child_by_field_name("function")
        arguments = node.child_by_field_name("arguments")
        args = tuple(arguments.named_children) if arguments is not None else ()
        if function is not None and function.type == "member_access_expression":
            name = function.child_by_field_name("name")
            receiver = function.child_by_field_name("expression")
            yield Invocation(
                file, node, simple_name(file.text(name)) if name else "", receiver, args
            )
        elif function is not None:
            yield Invocation(file, node, simple_name(file.text(function)), None, args)
    for child in node.named_children:
        yield from invocations(file, child)


def _value(argument: Node) -> Node:
    """The expression of an argument, without its `name:`."""
    return argument.named_children[-1] if argument.named_children else argument


@dataclass
class MinimalApis:
    """Every minimal-API route of a project, prefixes followed across methods and files."""

    files: list[SourceFile]
    constants: Constants
    calls: dict[str, list[Invocation]] = field(default_factory=dict)
    resolving: set[str] = field(default_factory=set)

    def routes(self) -> Iterator[Route]:
        """One route per `Map{Verb}` call and prefix it can be reached under."""
        for file in self.files:
            for call in invocations(file, file.root):
                self.calls.setdefault(call.name, []).append(call)
        for call in self.calls.get("MapMethods", []) + [
            c for name in MAP_VERBS for c in self.calls.get(name, [])
        ]:
            yield from self._routes(call)

    def _routes(self, call: Invocation) -> Iterator[Route]:
        methods = self._methods(call)
        if not call.args or call.receiver is None or not methods:
            return
        path = self.constants.evaluate(call.file, _value(call.args[0]))
        if path is None:
            return
        handler = _handler(call.file, _value(call.args[-1]))
        line = line_of(call.receiver.next_named_sibling or call.node)
        for prefix in self.prefixes(call.file, call.receiver):
            full = aspnet_path(prefix, path)
            for method in methods:
                yield Route(full, method, call.file.path, line, handler, "aspnetcore")

    def _methods(self, call: Invocation) -> tuple[str, ...]:
        if call.name in MAP_VERBS:
            return (MAP_VERBS[call.name],)
        if len(call.args) < 3:
            return ()
        names = (self._method_name(call.file, n) for n in _strings(_value(call.args[1])))
        return tuple(n for n in names if n)

    def _method_name(self, file: SourceFile, node: Node) -> str:
        """`"GET"`, or `HttpMethods.Get` / `HttpMethod.Get.Method`."""
        text = self.constants.evaluate(file, node)
        if text is None and node.type == "member_access_expression":
            text = file.text(node).removesuffix(".Method").rsplit(".", 1)[-1]
        return (text or "").upper()

    def prefixes(self, file: SourceFile, receiver: Node) -> list[str]:
        """The path prefixes an endpoint builder expression stands for."""
        if receiver.type == "invocation_expression":
            call = next(invocations(file, receiver))
            if call.receiver is None:
                return ["/"]
            outer = self.prefixes(file, call.receiver)
            if call.name != "MapGroup":
                return outer
            template = self.constants.evaluate(file, _value(call.args[0])) if call.args else None
            return [join_paths(p, template) for p in outer] if template is not None else []
        if receiver.type == "identifier":
            return self._identifier(file, receiver)
        return ["/"]

    def _identifier(self, file: SourceFile, node: Node) -> list[str]:
        name = file.text(node)
        scope = _enclosing_scope(node)
        assigned = _last_assignment(file, scope, name, node.start_byte)
        if assigned is not None:
            return self.prefixes(file, assigned)
        if scope.type in _SCOPES and (index := _builder_parameter(file, scope, name)) is not None:
            return self._call_site_prefixes(declared_name(file, scope), index)
        return ["/"]

    def _call_site_prefixes(self, method: str, index: int) -> list[str]:
        """The prefixes of the builders passed to a helper method, wherever it is called."""
        if method in self.resolving:
            return ["/"]
        self.resolving.add(method)
        found: list[str] = []
        for call in self.calls.get(method, []):
            builder = call.receiver if index < 0 and call.receiver is not None else None
            if builder is None and 0 <= index < len(call.args):
                builder = _value(call.args[index])
            found += self.prefixes(call.file, builder) if builder is not None else []
        self.resolving.discard(method)
        return sorted(set(found)) or ["/"]


def _handler(file: SourceFile, node: Node) -> str:
    if node.type in ("identifier", "member_access_expression"):
        return file.text(node)
    return "anonymous"


def _strings(node: Node) -> list[Node]:
    """The items of `new[] { "GET", "POST" }`, `new List<string> { ... }` or `["GET"]`."""
    if node.type in ("string_literal", "member_access_expression"):
        return [node]
    found: list[Node] = []
    for child in node.named_children:
        if child.type in ("string_literal", "member_access_expression"):
            found.append(child)
        elif child.type not in ("array_type", "generic_name", "identifier"):
            found += _strings(child)
    return found


def _enclosing_scope(node: Node) -> Node:
    scope = node.parent
    while scope is not None and scope.type not in _SCOPES and scope.parent is not None:
        scope = scope.parent
    return scope if scope is not None else node


def _last_assignment(file: SourceFile, scope: Node, name: str, before: int) -> Node | None:
    """The value last given to a local variable before `before`: `var g = app.MapGroup(...)`."""
    found: tuple[int, Node] | None = None
    stack = [scope]
    while stack:
        node = stack.pop()
        if node.start_byte >= before:
            continue
        value = _assigned_value(file, node, name) if node.end_byte <= before else None
        if value is not None and (found is None or node.start_byte > found[0]):
            found = (node.start_byte, value)
        stack.extend(node.named_children)
    return found[1] if found is not None else None


def _assigned_value(file: SourceFile, node: Node, name: str) -> Node | None:
    if node.type == "variable_declarator" and declared_name(file, node) == name:
        return node.named_children[-1] if len(node.named_children) > 1 else None
    if node.type == "assignment_expression":
        left = node.child_by_field_name("left")
        if left is not None and file.text(left) == name:
            return node.child_by_field_name("right")
    return None


def _builder_parameter(file: SourceFile, method: Node, name: str) -> int | None:
    """The index of the endpoint-builder parameter called `name`; -1 for an extension's `this`."""
    parameters = method.child_by_field_name("parameters")
    for index, parameter in enumerate(parameters.named_children if parameters else ()):
        kind = parameter.child_by_field_name("type")
        if declared_name(file, parameter) != name or kind is None:
            continue
        if simple_name(file.text(kind)) not in BUILDER_TYPES:
            return None
        is_this = any(
            file.text(m) == "this" for m in parameter.named_children if m.type == "modifier"
        )
        return -1 if is_this else index
    return None
