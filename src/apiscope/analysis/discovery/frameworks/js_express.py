"""Express: `app.get('/x', h)`, `router.route('/x').get(h)`, routers mounted with `app.use`.

Apps come from `express()`, routers from `express.Router()` (or `Router` imported from
`express`, `express-promise-router`, `router`); a parameter typed `Express`, `Application` or
`Router` is one too, and so is any parameter an app is passed to (`require('./routes')(app)`).
`app.use(prefix, router)` is a mount, never a route; `app.use('/x', (req, res) => …)`, a path
answered by a function that never calls `next`, is an `ANY` route, like `app.all`.
"""

from __future__ import annotations

from tree_sitter import Node

from apiscope.analysis.discovery.base import Discoverer
from apiscope.analysis.discovery.frameworks.js_mounts import FileScan, RouterDiscoverer
from apiscope.analysis.discovery.frameworks.js_router_graph import Site
from apiscope.analysis.discovery.frameworks.js_value_types import Created, Env, External, Param
from apiscope.analysis.discovery.js_ast import (
    FUNCTION_TYPES,
    call_arguments,
    handler_name,
    member_call,
    method_line,
    named,
    parameters,
    unwrap,
)
from apiscope.analysis.routes import ANY_METHOD

ROUTE_METHODS = {
    "get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE",
    "del": "DELETE", "options": "OPTIONS", "head": "HEAD", "all": ANY_METHOD,
}  # fmt: skip
_FACTORIES: dict[str, tuple[tuple[str, ...], ...]] = {
    "express": ((), ("Router",), ("default",), ("default", "Router")),
    "express-promise-router": ((), ("default",)),
    "router": ((),),
}
_TYPES = frozenset({"Express", "Application", "Router", "IRouter"})
_CHAIN = frozenset(ROUTE_METHODS) | {"route", "use"}


class ExpressDialect:
    """Reads Express apps and routers into the router graph."""

    framework = "express"
    packages: tuple[bytes, ...] = (b"express", b"'router'", b'"router"')
    methods = _CHAIN

    def is_router(self, created: Created) -> bool:
        """`express()`, `express.Router()`, `Router()` from express-promise-router."""
        return created.factory.members in _FACTORIES.get(created.factory.package, ())

    def is_root(self, scan: FileScan, param: Param) -> bool:
        """A parameter annotated with one of Express's app or router types."""
        written = scan.param_type(param)
        return (
            isinstance(written, External)
            and written.package == "express"
            and written.members[-1:] != ()
            and written.members[-1] in _TYPES
        )

    def own_prefix(self, scan: FileScan, created: Created) -> str:
        """Express routers carry no prefix of their own."""
        return ""

    def visit(
        self, scan: FileScan, call: Node, receiver: Node, method: str, env: Env | None
    ) -> None:
        """A route, a `route('/x')` chain link, or a `use` mount."""
        site, paths = _chain(scan, receiver, env)
        if site is None:
            return
        args = call_arguments(call)
        if method == "use" and paths is None:
            _use(scan, site, call, env)
        elif method in ROUTE_METHODS and paths is not None and args:
            scan.add_endpoints(
                site, ROUTE_METHODS[method], paths, method_line(call), _handler(scan, args)
            )
        elif method in ROUTE_METHODS and len(args) >= 2:
            paths = scan.strings(args[0], env)
            scan.add_endpoints(
                site, ROUTE_METHODS[method], paths, method_line(call), _handler(scan, args)
            )


def _chain(scan: FileScan, receiver: Node, env: Env | None) -> tuple[Site | None, list[str] | None]:
    """The site under `app.route('/x').get(h).post(h)` and the path `route` gave, if any."""
    paths: list[str] | None = None
    parts = member_call(unwrap(receiver))
    while parts is not None and parts[1] in _CHAIN:
        if parts[1] == "route":
            args = call_arguments(unwrap(receiver))
            paths = scan.strings(args[0], env) if args and paths is None else paths or []
        receiver = parts[0]
        parts = member_call(unwrap(receiver))
    return scan.site(receiver, env), paths


def _use(scan: FileScan, site: Site, call: Node, env: Env | None) -> None:
    """`use([path,] ...middleware)`: mounts the routers among the arguments."""
    args = call_arguments(call)
    if not args:
        return
    prefixes = [] if scan.site(args[0], env) is not None else scan.strings(args[0], env)
    rest = (
        args
        if scan.site(args[0], env) is not None or unwrap(args[0]).type in FUNCTION_TYPES
        else args[1:]
    )
    for arg in (item for a in rest for item in (named(a) if a.type == "array" else [a])):
        child = scan.site(arg, env)
        if child is not None:
            scan.mount(site, prefixes or [""], child)
    last = unwrap(args[-1])
    if prefixes and len(args) == 2 and last.type in FUNCTION_TYPES and len(parameters(last)) == 2:
        scan.add_endpoints(
            site, ANY_METHOD, prefixes, method_line(call), handler_name(scan.file, last)
        )


def _handler(scan: FileScan, args: list[Node]) -> str:
    return handler_name(scan.file, args[-1])


DISCOVERERS: tuple[Discoverer, ...] = (RouterDiscoverer(ExpressDialect()),)
