"""net/http: `http.HandleFunc`, `http.Handle`, and the same on `http.NewServeMux()` values.

Go 1.22 patterns carry the method and may name a host: `"GET api.example.com/items/{id}"`;
`{rest...}` is a trailing wildcard and `{$}` only anchors the end. A pattern without a method
answers every method. `Handle(prefix, http.StripPrefix(prefix, sub))` mounts a sub-mux; handing
another framework's router to `Handle` is that framework's business, not a route here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from apiscope.analysis.discovery.base import Discoverer
from apiscope.analysis.discovery.go_dialect import FOREIGN, UNHANDLED, GoCall, Ref
from apiscope.analysis.discovery.go_routers import GoRouterDiscoverer
from apiscope.analysis.discovery.paths import brace_params
from apiscope.analysis.routes import ANY_METHOD

PATTERN = re.compile(r"^(?:([A-Z]+)\s+)?([^/\s]*)(/.*)?$")
DEFAULT_MUX = Ref(("http.DefaultServeMux",))


@dataclass(frozen=True)
class NetHttpDialect:
    """What `net/http`'s serve muxes do."""

    framework: str = "nethttp"
    packages: tuple[str, ...] = ("net/http",)
    router_types: frozenset[str] = frozenset({"ServeMux"})

    def package_call(self, call: GoCall, name: str) -> object:
        """`http.NewServeMux()`; `http.HandleFunc` / `http.Handle` on the default mux."""
        if name == "NewServeMux":
            return Ref(("new", call.walk.file.path, call.node.start_byte))
        if name in ("HandleFunc", "Handle"):
            self._register(call, DEFAULT_MUX, name)
            return None
        if name == "StripPrefix":
            return self._strip_prefix(call)
        return UNHANDLED

    def _strip_prefix(self, call: GoCall) -> object:
        """`http.StripPrefix("/api", sub)`: `sub`'s routes served under `/api`."""
        inner, prefix = call.value(1), call.string(0)
        if isinstance(inner, Ref) and prefix is not None:
            outer = Ref(("strip", call.walk.file.path, call.node.start_byte))
            call.walk.engine.mount(inner, outer, prefix)
            return outer
        return inner if inner is FOREIGN else None

    def method_call(self, call: GoCall, receiver: object, name: str) -> object:
        """`mux.HandleFunc(pattern, h)` and `mux.Handle(pattern, h)`."""
        if isinstance(receiver, Ref) and name in ("HandleFunc", "Handle"):
            self._register(call, receiver, name)
            return None
        return UNHANDLED

    def _register(self, call: GoCall, mux: Ref, name: str) -> None:
        pattern = call.string(0)
        match = PATTERN.match(pattern or "")
        handler = call.arg(1)
        if match is None or handler is None or pattern is None:
            return
        if self._mounted(call, mux) or (name == "Handle" and _whole_site(call, pattern)):
            return
        path = match.group(3) or "/"
        call.route(mux, match.group(1) or ANY_METHOD, path, call.handler(1))

    def _mounted(self, call: GoCall, mux: Ref) -> bool:
        """A router as the handler: a sub-mux is mounted, another framework's router skipped."""
        value = call.value(1)
        if value is FOREIGN:
            return True
        if isinstance(value, Ref):
            call.walk.engine.mount(value, mux)
            return True
        return False

    def finish(self, value: object) -> None:
        """Routes are declared as they are called; nothing is left to finish."""

    def normalize(self, path: str) -> str:
        """`{id}` and `{rest...}` → `{id}`, `{rest}`; the `{$}` end anchor dropped."""
        return brace_params(path.replace("{$}", ""))


def _whole_site(call: GoCall, pattern: str) -> bool:
    """`http.Handle("/", app)`: a whole application or file tree at the root, not an endpoint."""
    handler = call.arg(1)
    wrapped = handler is not None and call.walk.file.text(handler).startswith("http.HandlerFunc(")
    return pattern == "/" and handler is not None and handler.type != "func_literal" and not wrapped


DISCOVERERS: tuple[Discoverer, ...] = (GoRouterDiscoverer(NetHttpDialect()),)
