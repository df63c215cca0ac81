"""From a discovered route to the function that serves it.

A route records where it is declared and its handler as written. The handler is, in order of
trust: the inline function of the declaring call (`anonymous`); the function the declaration
decorates or annotates; the function the handler's name refers to, followed through imports
(Python and JS/TS); a definition of that name elsewhere in the project, owner and nearness
deciding (every language, and Rails' `photos#show` by its file-naming convention).
"""

from __future__ import annotations

from tree_sitter import Node

from apiscope.analysis.analysers.context.definitions import Definition, Definitions
from apiscope.analysis.analysers.context.js_calls import JsResolver
from apiscope.analysis.analysers.context.python_calls import PythonResolver
from apiscope.analysis.analysers.context.syntax import (
    SYNTAX,
    end_line_of,
    line_of,
    nodes_of,
)
from apiscope.analysis.discovery.js_ast import JS_LANGUAGES, object_property
from apiscope.analysis.discovery.project import Project, SourceFile
from apiscope.analysis.routes import Route

_ARGUMENT_WRAPPERS = frozenset({"argument", "value_argument", "annotated_lambda", "arguments",
                                "argument_list", "value_arguments"})  # fmt: skip
"""Nodes that hold a call's arguments (or one argument) in the grammars that have them."""


class HandlerFinder:
    """Finds route handlers in one project."""

    def __init__(
        self,
        project: Project,
        definitions: Definitions,
        python: PythonResolver,
        js: JsResolver,
    ) -> None:
        self.files = {f.path: f for f in project.files}
        self.definitions = definitions
        self.python = python
        self.js = js

    def find(self, route: Route) -> Definition | None:
        """The handler of `route`, or None when it is not in the repository."""
        if "#" in route.handler:
            return self._rails_action(route)
        file = self.files.get(route.file)
        if file is None or file.language not in SYNTAX:
            return None
        if route.handler == "anonymous":
            return inline_handler(file, route.line)
        owner, name = split_handler(route.handler)
        return (
            self._declared_at(file, route.line, name)
            or self._referenced(file, route, name)
            or (self.python.class_method(owner, name) if file.language == "python" else None)
            or self.definitions.best(file.language, name, owner, route.file)
        )

    def _declared_at(self, file: SourceFile, line: int, name: str) -> Definition | None:
        """The decorated or annotated definition: around the declaration's line (Java, C#,
        PHP keep annotations inside the method; Python in its `decorated_definition`), or the
        first one after it (TypeScript decorators are siblings of the method)."""
        definitions = self.definitions.in_file(file)
        for definition in reversed(definitions):
            start = definition.node.parent if _decorated(definition.node) else definition.node
            if start is not None and line_of(start) <= line <= end_line_of(definition.node):
                if definition.name == name:
                    return definition
                break
        after = next((d for d in definitions if line_of(d.node) >= line), None)
        return after if after is not None and after.name == name else None

    def _referenced(self, file: SourceFile, route: Route, name: str) -> Definition | None:
        """The handler named in the declaring statement, followed through imports."""
        if file.language == "python":
            return self.python.handler(file, route.line, route.handler)
        if file.language in JS_LANGUAGES:
            return self.js.handler(file, route.line, route.handler)
        return None

    def _rails_action(self, route: Route) -> Definition | None:
        """`users/registrations#create` is `create` in
        `app/controllers/users/registrations_controller.rb` (or a class named alike)."""
        controller, _, action = route.handler.partition("#")
        suffix = f"app/controllers/{controller}_controller.rb"
        for file in self.files.values():
            if file.path == suffix or file.path.endswith("/" + suffix):
                found = [d for d in self.definitions.in_file(file) if d.name == action]
                if found:
                    return found[0]
        class_name = "".join(p.title() for p in controller.rsplit("/", 1)[-1].split("_"))
        return self.definitions.best("ruby", action, class_name + "Controller", route.file)


def split_handler(handler: str) -> tuple[str, str]:
    """(owner, name) of `UsersController.show`, `PostController@index`, `handlers::register`."""
    for separator in ("@", "::", "."):
        if separator in handler:
            owner, _, name = handler.rpartition(separator)
            return owner.rsplit(".", 1)[-1].rsplit("::", 1)[-1], name
    return "", handler


def _decorated(node: Node) -> bool:
    return node.parent is not None and node.parent.type == "decorated_definition"


def inline_handler(file: SourceFile, line: int) -> Definition | None:
    """The function written inside the declaring call (`app.get('/', (req, res) => …)`,
    Sinatra's `do` block), else a function that starts on the line (`export default …`)."""
    syntax = SYNTAX[file.language]
    calls = [c for c in nodes_of(file.root, file.language, syntax.calls) if _declares(c, line)]
    # Registrations are method calls (`router.get`), middleware often plain ones (`auth(…)`).
    calls.sort(key=lambda c: (_method_name(c) is None, c.start_byte - c.end_byte))
    for call in calls:
        function = _function_argument(call, syntax.lambdas, syntax.calls)
        if function is not None:
            return Definition(file, function, "anonymous", "")
    starting = (
        n for n in nodes_of(file.root, file.language, syntax.functions) if line_of(n) == line
    )
    first = next(starting, None)
    return None if first is None else Definition(file, first, "anonymous", "")


def _declares(call: Node, line: int) -> bool:
    """Whether a call is the declaration on `line`: its method name is there (each call of a
    chain `router.route('/').get(…).post(…)` has its own line), or, for a plain call
    (Sinatra's `get '/' do`), its start."""
    name = _method_name(call)
    return line_of(name if name is not None else call) == line


def _method_name(call: Node) -> Node | None:
    """The name node of a member call (`get` in `router.get(…)`), else None."""
    for field in ("method", "name"):
        found = call.child_by_field_name(field)
        if found is not None and call.child_by_field_name(
            "object" if field == "name" else "receiver"
        ):
            return found
    callee = call.child_by_field_name("function")
    if callee is None:
        return None
    for field in ("property", "field", "attribute", "name"):
        found = callee.child_by_field_name(field)
        if found is not None:
            return found
    return None


def _function_argument(call: Node, lambdas: frozenset[str], calls: frozenset[str]) -> Node | None:
    """The last function among a call's arguments, looking into wrappers (`asyncHandler(fn)`)."""
    found: Node | None = None
    for child in _arguments(call):
        if child.type in lambdas:
            found = child
        elif child.type in calls:
            found = _function_argument(child, lambdas, calls) or found
        elif child.type == "object":  # Fastify's `app.route({ handler: async (req) => … })`
            handler = object_property(child, "handler")
            found = handler if handler is not None and handler.type in lambdas else found
    return found


def _arguments(call: Node) -> list[Node]:
    """A call's argument expressions (and a trailing block or lambda), wrappers opened."""
    pending = [c for c in call.named_children if c != call.child_by_field_name("function")]
    found: list[Node] = []
    while pending:
        node = pending.pop(0)
        if node.type in _ARGUMENT_WRAPPERS:
            pending[:0] = node.named_children
        else:
            found.append(node)
    return found
