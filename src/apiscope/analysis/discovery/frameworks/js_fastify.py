"""Fastify: `fastify.get('/x', opts, h)`, `fastify.route({ method, url, handler })`, and plugins
registered with `fastify.register(plugin, { prefix: '/v1' })`, in this file or another.

An instance is what `fastify()` returns or a plugin's first parameter: a plugin registered by
an instance, wrapped in `fastify-plugin`, annotated `FastifyInstance` / `FastifyPluginAsync`, or
simply named `fastify`. `@fastify/autoload` registers every plugin under a folder, prefixed with
its sub-folder path (`routes/users/index.ts` → `/users`).
"""

from __future__ import annotations

from tree_sitter import Node

from apiscope.analysis.discovery.base import Discoverer
from apiscope.analysis.discovery.frameworks.js_autoload import autoload
from apiscope.analysis.discovery.frameworks.js_mounts import FileScan, RouterDiscoverer
from apiscope.analysis.discovery.frameworks.js_router_graph import Site
from apiscope.analysis.discovery.frameworks.js_strings import constant_string
from apiscope.analysis.discovery.frameworks.js_value_types import (
    Created,
    Env,
    External,
    Module,
    Param,
    Ref,
    Value,
)
from apiscope.analysis.discovery.js_ast import (
    call_arguments,
    handler_name,
    member_call,
    method_line,
    named,
    object_property,
    parameters,
    unwrap,
)
from apiscope.analysis.routes import ANY_METHOD

_METHODS = {
    "get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE",
    "options": "OPTIONS", "head": "HEAD", "all": ANY_METHOD,
}  # fmt: skip
_FACTORY_MEMBERS = frozenset({(), ("default",), ("fastify",), ("default", "fastify")})
_AUTOLOAD = frozenset({"@fastify/autoload", "fastify-autoload"})


class FastifyDialect:
    """Reads Fastify instances and plugins into the router graph."""

    framework = "fastify"
    packages: tuple[bytes, ...] = (b"fastify",)
    methods = frozenset(_METHODS) | {"route", "register"}

    def is_router(self, created: Created) -> bool:
        """`fastify()`, `Fastify({ logger: true })`, `require('fastify')()`."""
        return created.factory.package == "fastify" and created.factory.members in _FACTORY_MEMBERS

    def is_root(self, scan: FileScan, param: Param) -> bool:
        """A plugin's instance parameter, recognisable without seeing who registers it."""
        if param.index != 0:
            return False
        written = scan.param_type(param)
        if _fastify_type(written, "FastifyInstance") or _named_fastify(param):
            return True
        holder = param.function.parent
        if holder is not None and holder.type == "variable_declarator":
            annotation = named(holder.child_by_field_name("type"))
            typed = scan.values.type_value(param.path, annotation[0]) if annotation else None
            return _fastify_type(typed, "FastifyPlugin")
        return _wrapped_in_plugin(scan, param)

    def own_prefix(self, scan: FileScan, created: Created) -> str:
        """Instances carry no prefix of their own."""
        return ""

    def visit(
        self, scan: FileScan, call: Node, receiver: Node, method: str, env: Env | None
    ) -> None:
        """A shorthand route, a `route({...})`, or a `register`."""
        site = _site(scan, receiver, env)
        args = call_arguments(call)
        if site is None or not args:
            return
        if method == "register":
            _register(scan, site, args, env)
        elif method == "route":
            _route(scan, site, call, args[0], env)
        elif len(args) >= 2:
            scan.add_endpoints(
                site,
                _METHODS[method],
                scan.strings(args[0], env),
                method_line(call),
                _handler(scan, args[-1], env),
            )


def _site(scan: FileScan, receiver: Node, env: Env | None) -> Site | None:
    """The instance under a chain such as `fastify.get(...).post(...)`."""
    parts = member_call(unwrap(receiver))
    while parts is not None and parts[1] in FastifyDialect.methods:
        receiver = parts[0]
        parts = member_call(unwrap(receiver))
    return scan.site(receiver, env)


def _route(scan: FileScan, site: Site, call: Node, options_node: Node, env: Env | None) -> None:
    """`route({ method: 'GET' | ['GET', 'POST'], url, handler })`."""
    options = scan.values.value(scan.path, options_node, env)
    if not isinstance(options, Ref) or options.node.type != "object":
        return
    method = object_property(options.node, "method")
    url = object_property(options.node, "url") or object_property(options.node, "path")
    handler = object_property(options.node, "handler")
    if method is None or url is None:
        return
    paths = [p for p in [constant_string(scan.values, options.path, url)] if p is not None]
    file = scan.values.modules.file(options.path)
    name = handler_name(file, handler) if handler is not None else "anonymous"
    for verb in _strings(scan, options.path, method):
        scan.add_endpoints(
            site, ANY_METHOD if verb == "*" else verb.upper(), paths, method_line(call), name
        )


def _strings(scan: FileScan, path: str, node: Node) -> list[str]:
    items = named(node) if node.type == "array" else [node]
    return [s for s in (constant_string(scan.values, path, i) for i in items) if s is not None]


def _register(scan: FileScan, site: Site, args: list[Node], env: Env | None) -> None:
    """`register(plugin, { prefix })`: the plugin's instance serves under the prefix."""
    options = scan.values.value(scan.path, args[1], env) if len(args) > 1 else None
    prefix_node = object_property(options.node, "prefix") if isinstance(options, Ref) else None
    prefix = (
        constant_string(scan.values, options.path, prefix_node)
        if isinstance(options, Ref) and prefix_node
        else None
    )
    plugin, encapsulated = _plugin(scan, scan.values.value(scan.path, args[0], env))
    if isinstance(plugin, Ref):
        scan.reached.add(plugin.path)
        scan.mount(
            site, [(prefix or "") if encapsulated else ""], Param(plugin.path, plugin.node, 0)
        )
    elif isinstance(plugin, External) and plugin.package in _AUTOLOAD and isinstance(options, Ref):
        for child, child_prefix in autoload(scan, options):
            scan.reached.add(child.path)
            scan.mount(site, [child_prefix], child)


def _plugin(scan: FileScan, value: Value | None) -> tuple[Value | None, bool]:
    """The plugin function, and whether it is encapsulated (`fastify-plugin` ones are not)."""
    if isinstance(value, Module):  # `import * as routes from './routes'`: its default export
        value = scan.values.default_value(value.path)
    if isinstance(value, Created) and value.factory.package == "fastify-plugin":
        inner = call_arguments(value.node)
        return (scan.values.value(value.path, inner[0]) if inner else None), False
    return value, True


def _handler(scan: FileScan, last: Node, env: Env | None) -> str:
    """The handler argument, or the `handler` of a route options object."""
    options = (
        scan.values.value(scan.path, last, env)
        if unwrap(last).type in ("object", "identifier")
        else None
    )
    handler = (
        object_property(options.node, "handler")
        if isinstance(options, Ref) and options.node.type == "object"
        else None
    )
    if handler is not None and isinstance(options, Ref):
        return handler_name(scan.values.modules.file(options.path), handler)
    return handler_name(scan.file, last)


def _fastify_type(value: Value | None, prefix: str) -> bool:
    return (
        isinstance(value, External)
        and "fastify" in value.package
        and bool(value.members)
        and value.members[-1].startswith(prefix)
    )


def _named_fastify(param: Param) -> bool:
    """A first parameter called `fastify` is an instance, whoever passes it."""
    first = parameters(param.function)[:1]
    return bool(first) and first[0] is not None and first[0].text == b"fastify"


def _wrapped_in_plugin(scan: FileScan, param: Param) -> bool:
    """`fp(async (app) => …)`: fastify-plugin only ever wraps plugins."""
    holder = param.function.parent.parent if param.function.parent is not None else None
    callee = (
        holder.child_by_field_name("function")
        if holder is not None and holder.type == "call_expression"
        else None
    )
    wrapper = scan.values.value(param.path, callee) if callee is not None else None
    return isinstance(wrapper, External) and wrapper.package == "fastify-plugin"


DISCOVERERS: tuple[Discoverer, ...] = (RouterDiscoverer(FastifyDialect()),)
