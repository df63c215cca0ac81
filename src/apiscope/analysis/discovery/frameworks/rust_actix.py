"""actix-web: `#[get("/x")]` handler macros registered with `.service(handler)`, and builders:
`App::new()`, `web::scope("/api")`, `web::resource("/x").route(web::get().to(h))`,
`.route("/x", web::post().to(h))`, `.configure(config_fn)` with `cfg: &mut web::ServiceConfig`.

A macro-declared handler that no `.service(...)` registers is still reported, at its own path.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from apiscope.analysis.discovery.base import Discoverer
from apiscope.analysis.discovery.paths import brace_params
from apiscope.analysis.discovery.project import SourceFile
from apiscope.analysis.discovery.rust_ast import (
    UNHANDLED,
    Declared,
    RustCall,
    Unit,
    attributes,
    functions,
    line_of,
)
from apiscope.analysis.discovery.rust_builders import RustDiscoverer
from apiscope.analysis.routes import ANY_METHOD

VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "trace", "connect"})
MACRO = re.compile(r'^#\[(?:actix_web::)?(\w+)\s*\(\s*"((?:[^"\\]|\\.)*)"(.*)\)\s*\]$', re.S)
MACRO_METHOD = re.compile(r'method\s*=\s*"(\w+)"')


class ActixDialect:
    """What actix-web's builders and route macros declare."""

    framework = "actix"
    marker = b"actix"

    def function_call(self, call: RustCall, path: str) -> object:
        """`App::new()`, `web::scope(p)`, `web::resource(p)`, `web::get()`, `web::route()`."""
        name = path.split("::")[-1]
        if path.endswith("App::new"):
            return call.walk.engine.unit(Unit("router"))
        if name in ("scope", "resource") and (prefix := call.string(0)) is not None:
            return call.walk.engine.unit(Unit("router" if name == "scope" else "resource", prefix))
        if _web_function(path, name) and (name in VERBS or name == "route"):
            return Unit("method", handlers=[(name.upper() if name in VERBS else ANY_METHOD, "")])
        if name == "method" and _web_function(path, name):
            method = call.walk.file.text(call.args[0]).split("::")[-1] if call.args else ANY_METHOD
            return Unit("method", handlers=[(method.upper(), "")])
        return UNHANDLED

    def method_call(self, call: RustCall, receiver: Unit, name: str) -> object:
        """Routes and nesting on apps, scopes, resources and configs; `.to(h)` on a route."""
        if receiver.kind == "method":
            return self._method_router(call, receiver, name)
        if name == "service":
            for arg in _flatten(call):
                unit = call.walk.eval(arg)
                if unit is not None and unit.kind != "method":
                    receiver.nest(unit)
            return receiver
        if name == "route":
            self._route(call, receiver, call.string(0) if receiver.kind != "resource" else "")
            return receiver
        if name == "configure" and call.args:
            for unit in call.walk.function_reference(call.args[0])[1]:
                receiver.nest(unit)
            return receiver
        if receiver.kind == "resource" and (name == "to" or name in VERBS):
            method = ANY_METHOD if name == "to" else name.upper()
            call.route(receiver, method, "", call.handler(0))
            return receiver
        return UNHANDLED

    def _method_router(self, call: RustCall, receiver: Unit, name: str) -> object:
        if name == "to":
            return Unit("method", handlers=[(m, call.handler(0)) for m, _ in receiver.handlers])
        if name == "guard" and call.args:
            guard = call.walk.file.text(call.args[0]).split("::")[-1].split("(")[0].upper()
            return (
                Unit("method", handlers=[(guard, h) for _, h in receiver.handlers])
                if guard in {v.upper() for v in VERBS}
                else receiver
            )
        return UNHANDLED

    def _route(self, call: RustCall, receiver: Unit, path: str | None) -> None:
        route = call.walk.eval(call.args[-1]) if call.args else None
        if path is not None and route is not None and route.kind == "method":
            for method, handler in route.handlers:
                if handler:
                    call.route(receiver, method, path, handler)

    def parameter(self, type_text: str) -> Unit | None:
        """`cfg: &mut web::ServiceConfig` collects what a configure function registers."""
        return Unit("router") if "ServiceConfig" in type_text else None

    def declarations(self, file: SourceFile) -> Iterator[tuple[str, Unit]]:
        """Each `#[get("/x")]` / `#[route("/x", method = "GET", ...)]` handler as a unit."""
        for function in functions(file, file.root):
            name_node = function.child_by_field_name("name")
            for attribute in attributes(function):
                match = MACRO.match(file.text(attribute))
                if match is None or name_node is None or match.group(1) not in VERBS | {"route"}:
                    continue
                verbs = (
                    [match.group(1)]
                    if match.group(1) != "route"
                    else MACRO_METHOD.findall(match.group(3))
                )
                handler, line = file.text(name_node), line_of(attribute)
                routes = [
                    Declared(v.upper(), match.group(2), file.path, line, handler) for v in verbs
                ]
                yield (
                    handler,
                    Unit(
                        "router",
                        routes=routes
                        or [Declared(ANY_METHOD, match.group(2), file.path, line, handler)],
                    ),
                )

    def normalize(self, path: str) -> str:
        """`{id}` and `{id:\\d+}` → `{id}`."""
        return brace_params(path)


def _web_function(path: str, name: str) -> bool:
    """`web::get`, `actix_web::web::get`, or `get` imported from `actix_web::web`."""
    return path in (name, f"web::{name}", f"actix_web::web::{name}")


def _flatten(call: RustCall) -> list[Node]:
    """`.service((a, b, c))` registers each member of the tuple."""
    found = []
    for arg in call.args:
        found += arg.named_children if arg.type == "tuple_expression" else [arg]
    return found


DISCOVERERS: tuple[Discoverer, ...] = (RustDiscoverer(ActixDialect()),)
