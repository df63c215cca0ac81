"""gorilla/mux: `mux.NewRouter()`, `r.HandleFunc(path, h).Methods("GET", "POST")`, route
builders in any order (`r.Methods("GET").Path("/x").HandlerFunc(h)`), and sub-routers from
`r.PathPrefix("/api").Subrouter()`. A builder is a value until its statement ends; then, if it
has a handler, it is one route per method (ANY when `Methods` was never called)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from apiscope.analysis.discovery.base import Discoverer
from apiscope.analysis.discovery.go_dialect import UNHANDLED, GoCall, Ref
from apiscope.analysis.discovery.go_routers import GoRouterDiscoverer
from apiscope.analysis.discovery.paths import brace_params, join_paths
from apiscope.analysis.routes import ANY_METHOD

MATCHERS = frozenset(
    {"Name", "Host", "Schemes", "Headers", "HeadersRegexp", "Queries", "MatcherFunc",
     "BuildVarsFunc", "BuildOnly", "NewRoute"}
)  # fmt: skip
"""Calls that narrow a route without changing its path, methods or handler."""


@dataclass(frozen=True)
class RouteBuilder:
    """A `*mux.Route` being configured by a chain of calls."""

    router: Ref
    call: GoCall
    path: str | None = None
    methods: tuple[str, ...] = ()
    handler: str | None = None


@dataclass(frozen=True)
class MuxDialect:
    """What gorilla/mux routers and routes do."""

    framework: str = "gorillamux"
    packages: tuple[str, ...] = ("github.com/gorilla/mux",)
    router_types: frozenset[str] = frozenset({"Router"})

    def package_call(self, call: GoCall, name: str) -> object:
        """`mux.NewRouter()` makes a root router."""
        if name == "NewRouter":
            return Ref(("new", call.walk.file.path, call.node.start_byte))
        return UNHANDLED

    def method_call(self, call: GoCall, receiver: object, name: str) -> object:
        """A router starts a route builder; a builder takes the next call of its chain."""
        if isinstance(receiver, Ref):
            return self._start(call, receiver, name)
        if isinstance(receiver, RouteBuilder):
            return self._chain(call, receiver, name)
        return UNHANDLED

    def _start(self, call: GoCall, router: Ref, name: str) -> object:
        if name in ("HandleFunc", "Handle"):
            path = call.string(0)
            handler = call.handler(1) if len(call.args) > 1 else None
            return RouteBuilder(router, call, path, handler=handler) if path is not None else None
        if name in ("Path", "PathPrefix", "Methods") or name in MATCHERS:
            return self._chain(call, RouteBuilder(router, call), name)
        return (
            UNHANDLED
            if name not in ("Use", "StrictSlash", "SkipClean", "UseEncodedPath")
            else router
        )

    def _chain(self, call: GoCall, builder: RouteBuilder, name: str) -> object:
        if name in ("Path", "PathPrefix"):
            path = call.string(0)
            return replace(builder, path=path) if path is not None else None
        if name == "Methods":
            return replace(builder, methods=builder.methods + tuple(call.methods(0)))
        if name in ("HandlerFunc", "Handler"):
            return replace(builder, handler=call.handler(0))
        if name == "Subrouter":
            return Ref(builder.router.node, join_paths(builder.router.prefix, builder.path or ""))
        return builder if name in MATCHERS else None

    def finish(self, value: object) -> None:
        """A builder whose statement ended with a handler is a route (or one per method)."""
        if isinstance(value, RouteBuilder) and value.handler is not None:
            for method in value.methods or (ANY_METHOD,):
                value.call.route(value.router, method, value.path or "", value.handler)

    def normalize(self, path: str) -> str:
        """`{id}` and `{id:[0-9]+}` → `{id}`."""
        return brace_params(path)


DISCOVERERS: tuple[Discoverer, ...] = (GoRouterDiscoverer(MuxDialect()),)
