"""chi: `chi.NewRouter()`, `r.Get(...)`, sub-routers by `r.Route(prefix, func(r chi.Router))`,
inline groups by `r.Group(func(r chi.Router))` and `r.With(mw)`, and `r.Mount(prefix, sub)` of a
router built elsewhere (a variable, or a function or method returning one, in any file)."""

from __future__ import annotations

from dataclasses import dataclass

from apiscope.analysis.discovery.base import Discoverer
from apiscope.analysis.discovery.go_dialect import UNHANDLED, GoCall, Ref
from apiscope.analysis.discovery.go_routers import GoRouterDiscoverer
from apiscope.analysis.discovery.paths import brace_params, join_paths
from apiscope.analysis.routes import ANY_METHOD

VERBS = frozenset({"Get", "Post", "Put", "Patch", "Delete", "Head", "Options", "Connect", "Trace"})


@dataclass(frozen=True)
class ChiDialect:
    """What chi's routers do."""

    framework: str = "chi"
    packages: tuple[str, ...] = ("github.com/go-chi/chi",)
    router_types: frozenset[str] = frozenset({"Router", "Mux"})

    def package_call(self, call: GoCall, name: str) -> object:
        """`chi.NewRouter()` and `chi.NewMux()` make a root router."""
        if name in ("NewRouter", "NewMux"):
            return Ref(("new", call.walk.file.path, call.node.start_byte))
        return UNHANDLED

    def method_call(self, call: GoCall, receiver: object, name: str) -> object:
        """Routes, sub-routers, groups and mounts; the router itself for `With` chains."""
        if not isinstance(receiver, Ref):
            return UNHANDLED
        if name in VERBS or name in ("Handle", "HandleFunc", "Method", "MethodFunc"):
            self._routes(call, receiver, name)
        elif name == "Route":
            return self._subrouter(call, receiver)
        elif name == "Group":
            call.bind(0, receiver)
            return receiver
        elif name == "Mount":
            prefix = call.string(0)
            if prefix is not None:
                call.walk.engine.mount(call.value(1), receiver, prefix)
        elif name == "With":
            return receiver
        else:
            return UNHANDLED
        return None

    def _routes(self, call: GoCall, receiver: Ref, name: str) -> None:
        """`Get(path, h)`; `Handle(path, h)` for any method; `Method("GET", path, h)`."""
        if name in VERBS:
            self._route(call, receiver, name.upper(), 0)
        elif name.startswith("Handle"):
            self._route(call, receiver, ANY_METHOD, 0)
        else:
            for method in call.methods(0, 1):
                self._route(call, receiver, method, 1)

    def _route(self, call: GoCall, receiver: Ref, method: str, path_index: int) -> None:
        path = call.string(path_index)
        if path is not None and len(call.args) > path_index + 1:
            call.route(receiver, method, path, call.handler(path_index + 1))

    def _subrouter(self, call: GoCall, receiver: Ref) -> object:
        prefix = call.string(0)
        if prefix is None:
            return None
        sub = Ref(receiver.node, join_paths(receiver.prefix, prefix))
        call.bind(1, sub)
        return sub

    def finish(self, value: object) -> None:
        """Routes are declared as they are called; nothing is left to finish."""

    def normalize(self, path: str) -> str:
        """`{id}` and `{id:[0-9]+}` → `{id}`."""
        return brace_params(path)


DISCOVERERS: tuple[Discoverer, ...] = (GoRouterDiscoverer(ChiDialect()),)
