"""Ktor server routing DSL: `routing { route("/api") { get("/x") { } } }`.

The DSL is walked with the prefix (and `method(...)`/`route(path, HttpMethod.X)` verb) of the
enclosing blocks. `Route.foo()` extension functions are followed where they are called, so their
routes get the caller's prefix; those never called are walked from the root. Type-safe routes
(`get<Articles> { }`) name a resource class and are skipped. Only files importing Ktor's routing
package are read, so the `get(...)` of an HTTP client or a build script never counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from tree_sitter import Node

from apiscope.analysis.discovery.base import Discoverer
from apiscope.analysis.discovery.jvm_ast import is_test_path, line_of
from apiscope.analysis.discovery.paths import brace_params, join_route
from apiscope.analysis.discovery.project import Project, SourceFile
from apiscope.analysis.routes import ANY_METHOD, Route

VERBS = {v.lower(): v for v in ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")}
ROUTING_IMPORT = re.compile(rb"import\s+io\.ktor\.(server\.)?routing")
ROUTE_RECEIVERS = frozenset({"Route", "Routing"})
ENTRY_BLOCKS = frozenset({"routing"})
HTTP_METHOD = re.compile(r"HttpMethod\.(\w+)")
OPTIONAL = re.compile(r"\{(\w+)\?\}")
"""Ktor's optional parameter `{id?}`."""


@dataclass(frozen=True)
class Call:
    """A bare DSL call: `name(args) { lambda }`, either part optional."""

    name: str
    line: int
    args: list[Node]
    body: Node | None


@dataclass(frozen=True)
class Scope:
    """Where a DSL call sits: the joined prefix and the verb of a `method(...)` block."""

    prefix: str = ""
    verb: str = ANY_METHOD
    visiting: tuple[str, ...] = ()


@dataclass
class KtorWalk:
    """One pass over the project's routing code, collecting routes."""

    functions: dict[str, tuple[SourceFile, Node]]
    routes: list[Route] = field(default_factory=list)

    def block(self, file: SourceFile, node: Node, scope: Scope) -> None:
        """Walk a DSL block: calls declare routes, open nested blocks, or call extensions."""
        for child in node.named_children:
            call = as_call(file, child)
            if call is None:
                self.block(file, child, scope)
            else:
                self.call(file, call, scope)

    def call(self, file: SourceFile, call: Call, scope: Scope) -> None:
        """One DSL call in a routing scope."""
        path = _string(file, call.args[0]) if call.args else ""
        if call.name in VERBS or (call.name == "handle" and call.body):
            verb = VERBS.get(call.name, scope.verb)
            if path is not None:
                self._route(file, call, verb, join_route(scope.prefix, path))
        elif call.name == "route" and path is not None and call.body:
            verb = _http_method(file, call.args) or scope.verb
            self.block(file, call.body, Scope(join_route(scope.prefix, path), verb, scope.visiting))
        elif call.name == "method" and call.body:
            verb = _http_method(file, call.args) or scope.verb
            self.block(file, call.body, Scope(scope.prefix, verb, scope.visiting))
        elif call.name in self.functions and call.name not in scope.visiting:
            callee_file, body = self.functions[call.name]
            self.block(
                callee_file, body, Scope(scope.prefix, scope.verb, (*scope.visiting, call.name))
            )
        elif call.body is not None:
            self.block(file, call.body, scope)

    def _route(self, file: SourceFile, call: Call, verb: str, path: str) -> None:
        named = [a for a in call.args[1:] if a.type in ("identifier", "callable_reference")]
        handler = file.text(named[0]).lstrip(":") if named and not call.body else "anonymous"
        self.routes.append(
            Route(
                brace_params(OPTIONAL.sub(r"{\1}", path)),
                verb,
                file.path,
                call.line,
                handler,
                "ktor",
            )
        )


class KtorDiscoverer:
    """Routes declared with Ktor's routing DSL."""

    name = "ktor"
    languages: tuple[str, ...] = ("kotlin",)

    def discover(self, project: Project) -> Iterable[Route]:
        """Walk every `routing { }` block and every uncalled `Route.` extension function."""
        files = [f for f in project.of("kotlin") if _routing_source(f)]
        functions = {name: (file, body) for file in files for name, body in _extensions(file)}
        called = {c.name for file in files for c in _calls(file) if c.name in functions}
        walk = KtorWalk(functions)
        for file in files:
            for call in _calls(file):
                if call.name in ENTRY_BLOCKS and call.body is not None:
                    walk.block(file, call.body, Scope())
        for name, (file, body) in functions.items():
            if name not in called:
                walk.block(file, body, Scope(visiting=(name,)))
        return walk.routes


def as_call(file: SourceFile, node: Node) -> Call | None:
    """A bare call (`get("/x") { }`, `post { }`, `userRoutes()`), or None for anything else."""
    if node.type != "call_expression" or not node.named_children:
        return None
    callee = node.named_children[0]
    outer_lambda = _child(node, "annotated_lambda")
    if callee.type == "call_expression" and outer_lambda is not None:
        node, callee = callee, callee.named_children[0]
    if callee.type != "identifier":
        return None
    arguments = _child(node, "value_arguments")
    args = [a.named_children[-1] for a in arguments.named_children] if arguments else []
    lambda_ = outer_lambda or _child(node, "annotated_lambda")
    body = _child(lambda_, "lambda_literal") if lambda_ else None
    return Call(file.text(callee), line_of(callee), [a for a in args if a.type != "comment"], body)


def _child(node: Node, kind: str) -> Node | None:
    return next((c for c in node.named_children if c.type == kind), None)


def _calls(file: SourceFile) -> Iterator[Call]:
    """Every bare call in a file, at any depth."""
    stack = [file.root]
    while stack:
        node = stack.pop()
        stack.extend(reversed(node.named_children))
        call = as_call(file, node)
        if call is not None:
            yield call


def _extensions(file: SourceFile) -> Iterator[tuple[str, Node]]:
    """`fun Route.name() { ... }`: the name and the body of each routing extension function."""
    stack = [file.root]
    while stack:
        node = stack.pop()
        stack.extend(node.named_children)
        receiver = _child(node, "user_type")
        name, body = node.child_by_field_name("name"), _child(node, "function_body")
        if node.type != "function_declaration" or name is None or body is None:
            continue
        if receiver is not None and file.text(receiver) in ROUTE_RECEIVERS:
            yield file.text(name), body


def _routing_source(file: SourceFile) -> bool:
    return bool(ROUTING_IMPORT.search(file.source)) and not is_test_path(file.path)


def _string(file: SourceFile, node: Node) -> str | None:
    """A plain string literal's text; None for templates and anything computed."""
    if node.type != "string_literal" or any(c.type == "interpolation" for c in node.children):
        return None
    text = file.text(node).strip('"')
    return None if "$" in text.replace("\\$", "") else text


def _http_method(file: SourceFile, args: list[Node]) -> str | None:
    """`HttpMethod.Post` among the arguments, as `POST`."""
    found = (HTTP_METHOD.search(file.text(a)) for a in args)
    return next((m.group(1).upper() for m in found if m), None)


DISCOVERERS: tuple[Discoverer, ...] = (KtorDiscoverer(),)
