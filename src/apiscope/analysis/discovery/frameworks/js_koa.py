"""Koa routers (`@koa/router`, `koa-router`): `new Router({ prefix })`, `router.get(...)`, and
routers nested with `router.use('/x', sub.routes())` or served by `app.use(router.routes())`.

koa-router also takes a route name before the path (`router.get('user', '/users/:id', h)`) and
a prefix set later (`router.prefix('/v1')`); `koa-mount` adds a prefix in front of a router.
"""

from __future__ import annotations

from tree_sitter import Node

from apiscope.analysis.discovery.base import Discoverer
from apiscope.analysis.discovery.frameworks.js_express import ROUTE_METHODS
from apiscope.analysis.discovery.frameworks.js_mounts import FileScan, RouterDiscoverer
from apiscope.analysis.discovery.frameworks.js_router_graph import Site, join_js
from apiscope.analysis.discovery.frameworks.js_strings import constant_string
from apiscope.analysis.discovery.frameworks.js_value_types import Created, Env, External, Param, Ref
from apiscope.analysis.discovery.js_ast import (
    call_arguments,
    handler_name,
    member_call,
    method_line,
    named,
    object_property,
    unwrap,
)

_ROUTER_EXPORTS_OF = frozenset({(), ("default",), ("Router",), ("default", "Router")})
_FACTORIES: dict[str, frozenset[tuple[str, ...]]] = {
    "@koa/router": _ROUTER_EXPORTS_OF,
    "koa-router": _ROUTER_EXPORTS_OF,
    "koa-tree-router": _ROUTER_EXPORTS_OF,
    "koa-swagger-decorator": frozenset({("SwaggerRouter",)}),  # a koa-router subclass
}
_APPS = frozenset({(), ("default",)})
_ROUTER_EXPORTS = frozenset({"routes", "middleware"})


class KoaDialect:
    """Reads Koa apps and koa-router routers into the router graph."""

    framework = "koa"
    packages: tuple[bytes, ...] = (b"koa",)
    methods = frozenset(ROUTE_METHODS) | {"use", "prefix"}

    def is_router(self, created: Created) -> bool:
        """`new Router()`, `Router()`, `require('koa-router')()`, subclasses such as
        koa-swagger-decorator's `SwaggerRouter`, and `new Koa()` apps."""
        factory = created.factory
        if factory.package == "koa":
            return factory.members in _APPS
        return factory.members in _FACTORIES.get(factory.package, ())

    def is_root(self, scan: FileScan, param: Param) -> bool:
        """A parameter annotated with koa-router's `Router` type."""
        written = scan.param_type(param)
        return isinstance(written, External) and written.members in _FACTORIES.get(
            written.package, ()
        )

    def own_prefix(self, scan: FileScan, created: Created) -> str:
        """The `prefix` option a router is created with."""
        args = call_arguments(created.node)
        options = scan.values.value(created.path, args[0]) if args else None
        prefix = object_property(options.node, "prefix") if isinstance(options, Ref) else None
        found = constant_string(scan.values, created.path, prefix) if prefix is not None else None
        return found or ""

    def visit(
        self, scan: FileScan, call: Node, receiver: Node, method: str, env: Env | None
    ) -> None:
        """A route, a `use` mount, or a later `prefix()`."""
        site = _site(scan, receiver, env)
        args = call_arguments(call)
        if site is None or not args:
            return
        if method == "use":
            _use(scan, site, args, env)
        elif method == "prefix":
            scan.graph.own_prefix[site] = (scan.strings(args[0], env) or [""])[0]
        elif len(args) >= 2:
            named_route = (
                len(args) >= 3 and scan.strings(args[0], env) and scan.strings(args[1], env)
            )
            paths = scan.strings(args[1 if named_route else 0], env)
            handler = handler_name(scan.file, args[-1])
            scan.add_endpoints(site, ROUTE_METHODS[method], paths, method_line(call), handler)


def _site(scan: FileScan, receiver: Node, env: Env | None) -> Site | None:
    """The router under a chain such as `router.get(...).post(...)`."""
    parts = member_call(unwrap(receiver))
    while parts is not None and parts[1] in KoaDialect.methods:
        receiver = parts[0]
        parts = member_call(unwrap(receiver))
    return scan.site(receiver, env)


def _use(scan: FileScan, site: Site, args: list[Node], env: Env | None) -> None:
    """`use([path,] sub.routes(), ...)` and `app.use(mount('/x', router.routes()))`."""
    prefixes = scan.strings(args[0], env)
    for arg in (item for a in args for item in (named(a) if a.type == "array" else [a])):
        child, prefix = _mounted(scan, arg, env)
        if child is not None:
            scan.mount(site, [join_js(p, prefix) for p in prefixes or [""]], child)


def _mounted(scan: FileScan, arg: Node, env: Env | None) -> tuple[Site | None, str]:
    """The router an argument serves, with a `koa-mount` prefix if it has one."""
    arg = unwrap(arg)
    parts = member_call(arg)
    if parts is not None and parts[1] in _ROUTER_EXPORTS:
        return scan.site(parts[0], env), ""
    callee = arg.child_by_field_name("function") if arg.type == "call_expression" else None
    mount = scan.values.value(scan.path, callee, env) if callee is not None else None
    inner = call_arguments(arg)
    if isinstance(mount, External) and mount.package == "koa-mount" and len(inner) == 2:
        child, prefix = _mounted(scan, inner[1], env)
        return child, join_js(*scan.strings(inner[0], env)[:1], prefix)
    return scan.site(arg, env), ""


DISCOVERERS: tuple[Discoverer, ...] = (RouterDiscoverer(KoaDialect()),)
