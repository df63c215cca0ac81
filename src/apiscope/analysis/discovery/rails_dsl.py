"""Walking a Rails routes block: the calls that open scopes, and the state of one drawing.

`Drawing.walk` reads statements in order and hands each DSL call to its handler with the
current `Scope`; the handlers here nest scopes (`scope`, `namespace`, `member do`, ...), reuse
concerns, draw `config/routes/*.rb` files and follow `mount` into the project's own engines.
The handlers that declare routes (`get`, `resources`, ...) live in `rails_declarations`.
Calls the walker does not know, such as `constraints` or `devise_scope`, are walked through.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from tree_sitter import Node

from apiscope.analysis.discovery.paths import join_paths
from apiscope.analysis.discovery.project import Project, SourceFile
from apiscope.analysis.discovery.rails_mapper import Scope, rails_path
from apiscope.analysis.discovery.ruby_ast import Call, literal, literals, nested_calls, parse_call
from apiscope.analysis.routes import Route

FRAMEWORK = "rails"

Statements = tuple[Node, ...]
Handler = Callable[["Drawing", SourceFile, Call, Scope], None]


@dataclass
class Drawing:
    """One walk over an application's routes and the files it draws."""

    project: Project
    handlers: dict[str, Handler]
    draw_dir: str
    """`config/routes`: where `draw :admin` finds `admin.rb`."""
    engines: dict[str, list[tuple[SourceFile, Statements]]] = field(default_factory=dict)
    """The draw blocks of the project's own engines, by engine constant."""
    engine_modules: dict[str, str] = field(default_factory=dict)
    """`Blog::Engine` → `blog` for engines that `isolate_namespace Blog`."""
    api_only: bool = False
    concerns: dict[str, tuple[SourceFile, Statements]] = field(default_factory=dict)
    mounted: set[str] = field(default_factory=set)
    drawing: list[str] = field(default_factory=list)
    """Files being drawn, innermost last: a guard against `draw` cycles."""
    routes: list[Route] = field(default_factory=list)

    def walk(self, file: SourceFile, statements: Iterable[Node], scope: Scope) -> None:
        """Declare every route in these statements under `scope`."""
        for statement in statements:
            for node in nested_calls(statement):
                call = parse_call(file, node)
                if call is None:
                    continue
                handle = self.handlers.get(call.name) if call.receiver is None else None
                if handle is not None:
                    handle(self, file, call, scope)
                elif call.body:
                    self.walk(file, call.body, scope)

    def add(self, file: SourceFile, line: int, method: str, path: str, handler: str) -> None:
        """Record one route."""
        self.routes.append(Route(rails_path(path), method, file.path, line, handler, FRAMEWORK))


def first_literal(file: SourceFile, call: Call) -> str | None:
    """The call's first positional argument, when it is a literal."""
    return literal(file, call.args[0]) if call.args else None


def option(file: SourceFile, call: Call, name: str) -> str | None:
    """A literal keyword option."""
    return literal(file, call.options.get(name))


def _scope(drawing: Drawing, file: SourceFile, call: Call, scope: Scope) -> None:
    positional = [v for v in (literal(file, a) for a in call.args) if v is not None]
    path = option(file, call, "path") or "/".join(positional)
    inner = scope.under(path, option(file, call, "module") or "", option(file, call, "controller"))
    shallow_path = option(file, call, "shallow_path")
    if shallow_path:
        inner = replace(
            inner, shallow_path=join_paths(scope.shallow_path, rails_path(shallow_path))
        )
    if option_is_true(file, call, "shallow"):
        inner = replace(inner, shallow=True)
    drawing.walk(file, call.body or (), inner)


def option_is_true(file: SourceFile, call: Call, name: str) -> bool:
    """`shallow: true`."""
    node = call.options.get(name)
    return node is not None and file.text(node) == "true"


def _namespace(drawing: Drawing, file: SourceFile, call: Call, scope: Scope) -> None:
    name = first_literal(file, call)
    if name is None:
        return
    path, module = option(file, call, "path"), option(file, call, "module")
    inner = scope.namespace(name if path is None else path, name if module is None else module)
    drawing.walk(file, call.body or (), inner)


def _controller(drawing: Drawing, file: SourceFile, call: Call, scope: Scope) -> None:
    inner = scope.under(option(file, call, "path") or "", "", first_literal(file, call))
    drawing.walk(file, call.body or (), inner)


def _shallow(drawing: Drawing, file: SourceFile, call: Call, scope: Scope) -> None:
    drawing.walk(file, call.body or (), replace(scope, shallow=True))


def _member(drawing: Drawing, file: SourceFile, call: Call, scope: Scope) -> None:
    inner = {"member": scope.member, "collection": scope.collection, "new": scope.new}
    drawing.walk(file, call.body or (), inner[call.name]())


def _concern(drawing: Drawing, file: SourceFile, call: Call, scope: Scope) -> None:
    name = first_literal(file, call)
    if name is not None and call.body is not None:
        drawing.concerns[name] = (file, call.body)


def _concerns(drawing: Drawing, file: SourceFile, call: Call, scope: Scope) -> None:
    for node in call.args:
        for name in literals(file, node) or ():
            apply_concern(drawing, name, scope)


def apply_concern(drawing: Drawing, name: str, scope: Scope) -> None:
    """Declare a concern's routes where it is used, as if they were written there."""
    if name in drawing.concerns:
        concern_file, body = drawing.concerns[name]
        drawing.walk(concern_file, body, scope)


def _draw(drawing: Drawing, file: SourceFile, call: Call, scope: Scope) -> None:
    name = first_literal(file, call)
    drawn = drawing.project.get(posixpath.join(drawing.draw_dir, f"{name}.rb")) if name else None
    if drawn is None or drawn.path in drawing.drawing:
        return
    drawing.drawing.append(drawn.path)
    drawing.walk(drawn, drawn.root.named_children, scope)
    drawing.drawing.pop()


def _mount(drawing: Drawing, file: SourceFile, call: Call, scope: Scope) -> None:
    target, at = (call.args[0], call.options.get("at")) if call.args else (None, None)
    if call.rockets:
        target, at = call.rockets[0]
    engine = file.text(target).removeprefix("::") if target is not None else ""
    path = literal(file, at)
    if path is None or engine not in drawing.engines or engine in drawing.mounted:
        return
    drawing.mounted.add(engine)
    mounted = Scope(
        path=join_paths(scope.path, rails_path(path)), module=drawing.engine_modules.get(engine, "")
    )
    for engine_file, body in drawing.engines[engine]:
        drawing.walk(engine_file, body, mounted)


SCOPE_HANDLERS: dict[str, Handler] = {
    "scope": _scope,
    "namespace": _namespace,
    "controller": _controller,
    "shallow": _shallow,
    "member": _member,
    "collection": _member,
    "new": _member,
    "concern": _concern,
    "concerns": _concerns,
    "draw": _draw,
    "mount": _mount,
}
