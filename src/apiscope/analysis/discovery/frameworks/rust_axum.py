"""axum: `Router::new().route("/x", get(h).post(h2))`, `.nest("/api", api_router())`,
`.merge(other())`, `.route_service` / `.nest_service` (any method), across functions and modules.

Paths are `:id` / `*rest` before axum 0.8 and `{id}` / `{*rest}` since; all become `{name}`.
"""

from __future__ import annotations

from collections.abc import Iterator

from apiscope.analysis.discovery.base import Discoverer
from apiscope.analysis.discovery.paths import colon_params
from apiscope.analysis.discovery.project import SourceFile
from apiscope.analysis.discovery.rust_ast import UNHANDLED, RustCall, Unit
from apiscope.analysis.discovery.rust_builders import RustDiscoverer
from apiscope.analysis.routes import ANY_METHOD

VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "trace", "connect"})
SERVICES = {f"{verb}_service": verb for verb in VERBS} | {"any_service": "any"}


class AxumDialect:
    """What axum's `Router` and method routers declare."""

    framework = "axum"
    marker = b"axum"

    def function_call(self, call: RustCall, path: str) -> object:
        """`Router::new()`; `get(h)`, `any(h)`, `get_service(svc)`, `on(MethodFilter::X, h)`."""
        name = path.split("::")[-1]
        if path.endswith("Router::new"):
            return call.walk.engine.unit(Unit("router"))
        if name in VERBS or name == "any" or name in SERVICES:
            verb = SERVICES.get(name, name)
            method = ANY_METHOD if verb == "any" else verb.upper()
            return Unit("method", handlers=[(method, call.handler(0))])
        if name == "on" and len(call.args) == 2:
            method = call.walk.file.text(call.args[0]).split("::")[-1].upper()
            return Unit("method", handlers=[(method, call.handler(1))])
        if path.endswith("MethodRouter::new"):
            return Unit("method")
        return UNHANDLED

    def method_call(self, call: RustCall, receiver: Unit, name: str) -> object:
        """`.route`, `.nest`, `.merge` on routers; `.get(h)` and friends on method routers."""
        if receiver.kind == "method":
            if name in VERBS or name == "any" or name in SERVICES:
                verb = SERVICES.get(name, name)
                receiver.handlers.append(
                    (ANY_METHOD if verb == "any" else verb.upper(), call.handler(0))
                )
                return receiver
            return UNHANDLED
        if name == "route" and (path := call.string(0)) is not None:
            methods = call.value(1)
            for method, handler in methods.handlers if methods is not None else ():
                call.route(receiver, method, path, handler)
        elif name in ("route_service", "nest_service") and (path := call.string(0)) is not None:
            call.route(receiver, ANY_METHOD, path, call.handler(1))
        elif name == "nest" and (prefix := call.string(0)) is not None:
            child = call.value(1)
            if child is not None and child.kind == "router":
                receiver.nest(child, prefix)
        elif name == "merge":
            child = call.value(0)
            if child is not None and child.kind == "router":
                receiver.nest(child)
        else:
            return UNHANDLED
        return receiver

    def parameter(self, type_text: str) -> Unit | None:
        """A `Router` handed to a function that adds routes to it."""
        return Unit("router") if type_text.split("<")[0].split("::")[-1] == "Router" else None

    def declarations(self, file: SourceFile) -> Iterator[tuple[str, Unit]]:
        """axum declares nothing outside its builders."""
        return iter(())

    def normalize(self, path: str) -> str:
        """`:id`, `*rest`, `{*rest}` → `{id}`, `{rest}`."""
        return colon_params(path.replace("{*", "{"))


DISCOVERERS: tuple[Discoverer, ...] = (RustDiscoverer(AxumDialect()),)
