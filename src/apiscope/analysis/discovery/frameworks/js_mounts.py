"""The shape Express, Koa and Fastify share: apps and routers, routes on them, mounts between them.

A *site* is one app or router: where a factory created it (`express.Router()`, `new Router()`,
`fastify()`) or a function parameter that receives one (a Fastify plugin's instance,
`module.exports = (app) => …`). Routes are declared on sites; sites are mounted on sites with a
prefix (`app.use('/users', router)`, `register(plugin, { prefix })`), possibly in other files.
A `Dialect` reads one framework's calls into the graph; `RouterGraph` walks it from the roots and
emits every route with its full path. A call counts only when its receiver is known to be a site
of the framework, which keeps `axios.get(url)` and `map.get(key)` out.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from tree_sitter import Node

from apiscope.analysis.discovery.frameworks.js_router_graph import (
    Endpoint,
    Mount,
    RouterGraph,
    Site,
)
from apiscope.analysis.discovery.frameworks.js_strings import constant_string
from apiscope.analysis.discovery.frameworks.js_value_types import Created, Env, Param, Ref, Value
from apiscope.analysis.discovery.frameworks.js_values import Values
from apiscope.analysis.discovery.js_ast import (
    FUNCTION_TYPES,
    JS_LANGUAGES,
    call_arguments,
    calls,
    js_files,
    member_call,
    named,
    object_property,
    parameter_type,
    possible_sites,
    unwrap,
)
from apiscope.analysis.discovery.project import Project
from apiscope.analysis.routes import Route


class Dialect(Protocol):
    """How one framework creates, routes and mounts; the engine does the rest."""

    framework: str
    packages: tuple[bytes, ...]
    """A file mentioning one of these is read even if nothing leads to it."""
    methods: frozenset[str]
    """The member calls `visit` wants to see (`get`, `use`, `register`, ...)."""

    def is_router(self, created: Created) -> bool:
        """Whether a factory call creates an app or router of this framework."""
        ...

    def is_root(self, scan: FileScan, param: Param) -> bool:
        """Whether a parameter is an app or router even if no caller is visible."""
        ...

    def own_prefix(self, scan: FileScan, created: Created) -> str:
        """The prefix a router is created with (`new Router({ prefix })`), else ""."""
        ...

    def visit(
        self, scan: FileScan, call: Node, receiver: Node, method: str, env: Env | None
    ) -> None:
        """Reads one `receiver.method(...)` call into the graph."""
        ...


class FileScan:
    """One file read for one dialect; what it learns goes into the shared graph."""

    def __init__(self, values: Values, graph: RouterGraph, dialect: Dialect, path: str) -> None:
        self.values, self.graph, self.dialect, self.path = values, graph, dialect, path
        self.file = values.modules.file(path)
        self.reached: set[str] = set()

    def run(self) -> None:
        """Visits the file's member calls, then records sites handed to functions."""
        others: list[Node] = []
        receivers: set[str] = set()
        for call in calls(self.file):
            parts = member_call(call)
            if parts is not None and parts[1] in self.dialect.methods:
                receivers.add(self.file.text(_chain_root(parts[0])))
                for env in self.envs(call):
                    self.dialect.visit(self, call, parts[0], parts[1], env)
            elif not self._computed(call):
                others.append(call)
        candidates = receivers | possible_sites(self.file)
        for call in others:
            self._handed_over(call, candidates)

    def _computed(self, call: Node) -> bool:
        """`app[route.method](route.path, h)` over a routes table: the method comes from data."""
        callee = unwrap(call.child_by_field_name("function") or call)
        receiver, index = callee.child_by_field_name("object"), callee.child_by_field_name("index")
        if callee.type != "subscript_expression" or receiver is None or index is None:
            return False
        for env in self.envs(call):
            method = (constant_string(self.values, self.path, index, env) or "").lower()
            if method in self.dialect.methods:
                self.dialect.visit(self, call, receiver, method, env)
        return True

    def site(self, node: Node, env: Env | None = None) -> Site | None:
        """The app or router an expression is, if it is one (or may be: a parameter)."""
        value = self.values.value(self.path, node, env)
        if isinstance(value, Param):
            if self.dialect.is_root(self, value):
                self.graph.roots.add(value)
            self.reached.add(value.path)
            return value
        if isinstance(value, Created) and self.dialect.is_router(value):
            if value not in self.graph.roots:
                self.graph.roots.add(value)
                self.graph.own_prefix[value] = self.dialect.own_prefix(self, value)
            self.reached.add(value.path)
            return value
        return None

    def param_type(self, param: Param) -> Value | None:
        """What a parameter's TypeScript annotation names (`app: Express`), if it has one."""
        written = parameter_type(param.function, param.index, param.key)
        return None if written is None else self.values.type_value(param.path, written)

    def strings(self, node: Node, env: Env | None = None) -> list[str]:
        """The paths an argument declares: one string, or each string of an array."""
        items = named(node) if node.type == "array" else [node]
        found = [constant_string(self.values, self.path, item, env) for item in items]
        return [s for s in found if s is not None]

    def add_endpoints(
        self, site: Site, method: str, paths: list[str], line: int, handler: str
    ) -> None:
        """Records a route per declared path."""
        for path in paths:
            self.graph.endpoints.add(Endpoint(site, method, path, self.path, line, handler))

    def mount(self, parent: Site, prefixes: list[str], child: Site) -> None:
        """Records `child` under `parent` at each prefix."""
        for prefix in prefixes:
            self.graph.mounts.add(Mount(parent, prefix, child))

    def envs(self, call: Node) -> list[Env | None]:
        """One binding per item when the call runs in `for (x of items)` or `items.forEach(…)`."""
        loop = _loop(call)
        if loop is None:
            return [None]
        pattern, items = loop
        elements = self.values.value(self.path, items)
        if not (isinstance(elements, Ref) and elements.node.type == "array"):
            return [None]
        return [self._bind(pattern, elements.path, item) for item in named(elements.node)] or [None]

    def _bind(self, pattern: Node, path: str, item: Node) -> Env:
        """`route` → the item, or `{ path, route }` → the item's properties."""
        if pattern.type == "identifier":
            return {self.file.text(pattern): (path, item)}
        value = self.values.value(path, item)
        bound: dict[str, tuple[str, Node]] = {}
        if (
            isinstance(value, Ref)
            and value.node.type == "object"
            and pattern.type == "object_pattern"
        ):
            for part in named(pattern):
                if part.type != "shorthand_property_identifier_pattern":
                    continue
                prop = object_property(value.node, self.file.text(part))
                if prop is not None:
                    bound[self.file.text(part)] = (value.path, prop)
        return bound

    def _handed_over(self, call: Node, candidates: set[str]) -> None:
        """`require('./routes')(app)`, `setup({ app })`: the parameter is that app from now on."""
        handed = [
            (index, key, node)
            for index, key, node in _handed_nodes(call)
            if node.type == "member_expression" or self.file.text(node) in candidates
        ]
        callee = call.child_by_field_name("function") if handed else None
        function = None if callee is None else self.values.value(self.path, callee)
        if not (isinstance(function, Ref) and function.node.type in FUNCTION_TYPES):
            return  # the callee is not a project function: cheaper to know than the arguments
        for index, key, node in handed:
            site = self.site(node)
            if site is not None:
                self.reached.add(function.path)
                param = Param(function.path, function.node, index, key)
                self.graph.mounts.add(Mount(site, "", param))


class RouterDiscoverer:
    """A `Discoverer` for one dialect: reads the files that matter, then resolves the graph."""

    languages: tuple[str, ...] = JS_LANGUAGES

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self.name = dialect.framework

    def discover(self, project: Project) -> Iterator[Route]:
        """Every route of the dialect's framework, prefixes resolved across files."""
        files = list(js_files(project))
        sources = {f.path for f in files}
        pending = sorted(f.path for f in files if _mentions(f.source, self.dialect.packages))
        if not pending:
            return iter(())
        values, graph, done = Values(project), RouterGraph(self.dialect.framework), set[str]()
        while pending:
            path = pending.pop()
            if path not in done and path in sources:
                done.add(path)
                scan = FileScan(values, graph, self.dialect, path)
                scan.run()
                pending += sorted(scan.reached - done)
        return graph.routes()


def _handed_nodes(call: Node) -> Iterator[tuple[int, str | None, Node]]:
    """Arguments that may be apps: names and members, and the values of `{ app }` objects."""
    for index, arg in enumerate(call_arguments(call)):
        if arg.type == "identifier" or (arg.type == "member_expression" and _on_this(arg)):
            yield index, None, arg
        for prop in named(arg) if arg.type == "object" else []:
            if prop.type == "shorthand_property_identifier" and prop.text is not None:
                yield index, prop.text.decode(errors="replace"), prop
            key, value = prop.child_by_field_name("key"), prop.child_by_field_name("value")
            if prop.type == "pair" and key is not None and value is not None and key.text:
                yield index, key.text.decode(errors="replace"), value


def _on_this(member: Node) -> bool:
    """`this.app`: a class's app field, handed on like a name."""
    obj = member.child_by_field_name("object")
    return obj is not None and obj.type == "this"


def _chain_root(node: Node) -> Node:
    """`router` under `router.route('/x').get(h)`: the name a chain of calls starts from."""
    node = unwrap(node)
    while node.type in ("call_expression", "member_expression"):
        inner = node.child_by_field_name("function" if node.type == "call_expression" else "object")
        if inner is None:
            break
        node = unwrap(inner)
    return node


def _mentions(source: bytes, packages: tuple[bytes, ...]) -> bool:
    return any(package in source for package in packages)


def _loop(call: Node) -> tuple[Node, Node] | None:
    """The loop variable pattern and the iterated expression around a call, if any."""
    scope = call.parent
    while (
        scope is not None and scope.type not in FUNCTION_TYPES and scope.type != "for_in_statement"
    ):
        scope = scope.parent
    if scope is None:
        return None
    if scope.type == "for_in_statement":
        left, right = scope.child_by_field_name("left"), scope.child_by_field_name("right")
        return None if left is None or right is None else (left, right)
    holder = scope.parent.parent if scope.parent is not None else None
    parts = member_call(holder) if holder is not None else None
    params = named(scope.child_by_field_name("parameters"))
    first = scope.child_by_field_name("parameter") or (params[0] if params else None)
    if parts is None or parts[1] not in ("forEach", "map") or first is None:
        return None
    return first.child_by_field_name("pattern") or first, parts[0]
