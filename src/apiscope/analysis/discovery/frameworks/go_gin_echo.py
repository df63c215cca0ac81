"""gin and echo: routers from `gin.Default()` / `echo.New()`, groups from `.Group(prefix)`.

The two APIs differ in where the handler sits (gin: last, after middleware; echo: right after
the path, middleware after it) and in their any-method and multi-method calls.
"""

from __future__ import annotations

from dataclasses import dataclass

from apiscope.analysis.discovery.base import Discoverer
from apiscope.analysis.discovery.go_dialect import UNHANDLED, GoCall, Ref
from apiscope.analysis.discovery.go_routers import GoRouterDiscoverer
from apiscope.analysis.discovery.paths import colon_params, join_paths
from apiscope.analysis.routes import ANY_METHOD

VERBS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "CONNECT", "TRACE"})


@dataclass(frozen=True)
class GinEchoDialect:
    """What gin's or echo's routers do; `handler_index` is where the handler argument sits."""

    framework: str
    packages: tuple[str, ...]
    router_types: frozenset[str]
    constructors: frozenset[str]
    handler_index: int
    pass_through: frozenset[str]
    """Methods returning the same router (`Use` in gin, `Host` in echo returns a group)."""

    def package_call(self, call: GoCall, name: str) -> object:
        """`gin.Default()`, `gin.New()`, `echo.New()` make a root router."""
        if name in self.constructors:
            return Ref(("new", call.walk.file.path, call.node.start_byte))
        return UNHANDLED

    def method_call(self, call: GoCall, receiver: object, name: str) -> object:
        """Routes, groups, and the router itself for chaining calls."""
        if not isinstance(receiver, Ref):
            return UNHANDLED
        if name in VERBS or name == "Any":
            self._route(call, receiver, [name if name in VERBS else ANY_METHOD], 0)
        elif name in ("Handle", "Add") or name == "Match":
            self._route(call, receiver, call.methods(0, 1), 1)
        elif name == "Group":
            prefix = call.string(0)
            return (
                Ref(receiver.node, join_paths(receiver.prefix, prefix))
                if prefix is not None
                else None
            )
        elif name in self.pass_through:
            return receiver
        else:
            return UNHANDLED
        return None

    def _route(self, call: GoCall, receiver: Ref, methods: list[str], path_index: int) -> None:
        path = call.string(path_index)
        handler_index = -1 if self.handler_index < 0 else path_index + self.handler_index
        if path is not None and len(call.args) > path_index + 1:
            for method in methods:
                call.route(receiver, method, path, call.handler(handler_index))

    def finish(self, value: object) -> None:
        """Routes are declared as they are called; nothing is left to finish."""

    def normalize(self, path: str) -> str:
        """`:id` and `*filepath` → `{id}`, `{filepath}`."""
        return colon_params(path)


GIN = GinEchoDialect(
    framework="gin",
    packages=("github.com/gin-gonic/gin", "gopkg.in/gin-gonic/gin"),
    router_types=frozenset({"Engine", "RouterGroup", "IRouter", "IRoutes"}),
    constructors=frozenset({"Default", "New"}),
    handler_index=-1,
    pass_through=frozenset({"Use"}),
)
ECHO = GinEchoDialect(
    framework="echo",
    packages=("github.com/labstack/echo", "gopkg.in/labstack/echo"),
    router_types=frozenset({"Echo", "Group"}),
    constructors=frozenset({"New"}),
    handler_index=1,
    pass_through=frozenset({"Host"}),
)

DISCOVERERS: tuple[Discoverer, ...] = (GoRouterDiscoverer(GIN), GoRouterDiscoverer(ECHO))
