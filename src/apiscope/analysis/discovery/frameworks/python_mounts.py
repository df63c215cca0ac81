"""Router objects and the prefixes they are mounted under, across files: FastAPI's
`include_router`, Flask's `register_blueprint`, Starlette's `Mount`, aiohttp's `add_subapp`.

A router's routes are emitted once per chain of mounts that reaches it from a root (a router
mounted nowhere is its own root), so a router included twice yields its routes twice.

Shared by the `python_*` discoverers; it declares no routes itself, hence the empty
`DISCOVERERS`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from tree_sitter import Node

from apiscope.analysis.discovery import python_ast as ast
from apiscope.analysis.discovery.frameworks.python_symbols import PythonIndex, Symbol
from apiscope.analysis.discovery.paths import join_paths
from apiscope.analysis.discovery.project import SourceFile

Env = dict[str, Node]
"""Loop variables bound to the literal items a `for` statement iterates over."""


@dataclass
class MountGraph:
    """Routers with their own prefix, and which router mounts which under what prefix.

    `replace` is Flask's rule: a prefix given at registration replaces the blueprint's own
    (`url_prefix=` on `register_blueprint`); otherwise both apply, outer first (FastAPI).
    """

    replace: bool = False
    own: dict[Symbol, str] = field(default_factory=dict)
    parents: dict[Symbol, list[tuple[Symbol, str | None]]] = field(default_factory=dict)

    def add_router(self, router: Symbol, prefix: str) -> None:
        """Record a router object and the prefix it declares for itself."""
        self.own[router] = prefix

    def mount(self, parent: Symbol, child: Symbol, prefix: str | None) -> None:
        """Record that `parent` mounts `child` under `prefix` (None: no prefix given)."""
        edges = self.parents.setdefault(child, [])
        if (parent, prefix) not in edges:
            edges.append((parent, prefix))

    def prefixes(self, router: Symbol, seen: frozenset[Symbol] = frozenset()) -> list[str]:
        """Every full prefix the router's routes are served under."""
        own = self.own.get(router, "")
        edges = [(p, prefix) for p, prefix in self.parents.get(router, []) if p not in seen]
        if not edges:
            return [own]
        found: list[str] = []
        for parent, prefix in edges:
            local = prefix if self.replace and prefix is not None else join_paths(prefix or "", own)
            for outer in self.prefixes(parent, seen | {router}):
                joined = join_paths(outer, local) if local.strip("/") else outer
                if joined not in found:
                    found.append(joined)
        return found


def iterations(index: PythonIndex, file: SourceFile, node: Node) -> list[Env]:
    """The loop bindings a call runs under: `for router, prefix in [(a, "/a"), ...]` (or over
    a list assigned in the same file) gives one environment per item; outside such a loop,
    one empty environment."""
    loop = node.parent
    while loop is not None and loop.type not in ("for_statement", "function_definition"):
        loop = loop.parent
    if loop is None or loop.type != "for_statement":
        return [{}]
    left, right = loop.child_by_field_name("left"), loop.child_by_field_name("right")
    if right is not None and right.type == "identifier":
        right = index.assigned(Symbol(file.path, file.text(right)))
    if left is None or right is None or right.type not in ("list", "tuple"):
        return [{}]
    names = [file.text(n) for n in _targets(left)]
    envs: list[Env] = []
    for item in right.named_children:
        values = item.named_children if len(names) > 1 else [item]
        if len(values) == len(names):
            envs.append(dict(zip(names, values, strict=True)))
    return envs or [{}]


def _targets(left: Node) -> list[Node]:
    if left.type == "identifier":
        return [left]
    return [n for n in left.named_children if n.type == "identifier"]


def bound(file: SourceFile, node: Node | None, env: Env) -> Node | None:
    """A loop variable replaced by the item it stands for."""
    if node is not None and node.type == "identifier":
        return env.get(file.text(node), node)
    return node


def router_symbol(index: PythonIndex, file: SourceFile, node: Node | None) -> Symbol | None:
    """The router object an expression names; a factory call `create_router()` names the
    variable its function returns."""
    if node is not None and node.type == "call":
        found = index.function_named(file, node.child_by_field_name("function"))
        if found is None:
            return None
        function_file, function = found
        returned = _returned_name(function_file, function)
        return Symbol(function_file.path, returned) if returned else None
    target = index.resolve(file, node)
    return target if isinstance(target, Symbol) else None


@dataclass(frozen=True)
class Receiver:
    """What a route call is made on, as far as one framework's discoverer can tell."""

    router: Symbol | None
    """A router object of this framework, when known."""
    foreign: bool
    """Bound to some other object (another framework's router, a cache, a client): the call
    is not one of this framework's routes."""


def classify_receiver(
    index: PythonIndex, file: SourceFile, node: Node | None, graph: MountGraph
) -> Receiver:
    """Classify a call's receiver: a known router (aliases like `app = create_app()`
    followed), foreign, or unknown (a parameter, an unresolvable import)."""
    symbol = router_symbol(index, file, node)
    if symbol is None or symbol in graph.own:
        return Receiver(symbol, False)
    value = index.assigned(symbol) if symbol.file in index.files else None
    if value is None:
        return Receiver(None, False)
    alias = router_symbol(index, index.file(symbol.file), value)
    if alias is not None and alias in graph.own:
        return Receiver(alias, False)
    return Receiver(None, True)


def _returned_name(file: SourceFile, function: Node) -> str | None:
    for statement in ast.descendants(function, "return_statement"):
        if statement.named_children and statement.named_children[0].type == "identifier":
            return file.text(statement.named_children[0])
    return None


def constructed(file: SourceFile, names: frozenset[str]) -> Iterator[tuple[str, Node, Node]]:
    """Assignments `x = Name(...)` (at any depth) whose callee's last name is in `names`:
    the variable, the call and the assignment. In `x = A() if DEBUG else B()` the first
    branch stands for both."""
    for assignment in ast.descendants(file.root, "assignment"):
        left = assignment.child_by_field_name("left")
        right = assignment.child_by_field_name("right")
        if right is not None and right.type == "conditional_expression" and right.named_children:
            right = right.named_children[0]
        if left is None or right is None or left.type != "identifier" or right.type != "call":
            continue
        if ast.last_name(file, right.child_by_field_name("function")) in names:
            yield file.text(left), right, assignment


_LIST_PARTS = ("list", "tuple", "parenthesized_expression", "binary_operator", "list_splat")


def container_of(file: SourceFile, node: Node) -> Symbol:
    """The route list an entry sits in: the variable it is assigned to (`routes = [...]`), or
    the list literal itself (named by its position) when it is written inline in a call."""
    top = node
    while top.parent is not None and top.parent.type in _LIST_PARTS:
        top = top.parent
    return list_symbol(file, top)


def list_symbol(file: SourceFile, node: Node) -> Symbol:
    """The symbol standing for a list expression: its variable, or its position."""
    parent = node.parent
    if parent is not None and parent.type == "assignment":
        left = parent.child_by_field_name("left")
        if left is not None and left.type == "identifier":
            return Symbol(file.path, file.text(left))
    return Symbol(file.path, f"@{node.start_byte}")


def routes_symbol(index: PythonIndex, file: SourceFile, node: Node | None) -> Symbol | None:
    """A list of routes given inline or by name, or a router object given by name."""
    if node is None:
        return None
    if node.type in ("list", "tuple"):
        return list_symbol(file, node)
    return router_symbol(index, file, node)
