"""Routers as a graph: nodes are routers, edges (parent, prefix) are groups, sub-routers,
mounts and routers handed to function parameters. A route's full paths are the prefixes along
every path from a root to its node, so a function registered under two groups serves both."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field

from apiscope.analysis.discovery.go_dialect import Ref
from apiscope.analysis.discovery.paths import join_paths

MAX_PREFIXES = 64
"""A router reachable along more paths than this is a graph we misread, not an application."""


@dataclass(frozen=True)
class Declared:
    """A route as registered: on a router node, with a path relative to it."""

    node: Hashable
    method: str
    path: str
    file: str
    line: int
    handler: str


@dataclass
class RouterGraph:
    """Routers as nodes, groups and mounts as (parent, prefix) edges, routes on nodes."""

    parents: dict[Hashable, set[tuple[Hashable, str]]] = field(default_factory=dict)
    declared: list[Declared] = field(default_factory=list)

    def mount(self, child: Ref, parent: Ref, prefix: str = "") -> None:
        """`child`'s routes are also served under `parent` + `prefix`."""
        if child.node != parent.node:
            self.parents.setdefault(child.node, set()).add(
                (parent.node, join_paths(parent.prefix, prefix))
            )

    def prefixes(self, node: Hashable, seen: frozenset[Hashable] = frozenset()) -> set[str]:
        """Every full prefix of a node, one per path from a root."""
        edges = self.parents.get(node, set()) - {
            e for e in self.parents.get(node, set()) if e[0] in seen
        }
        if not edges:
            return {""}
        found: set[str] = set()
        for parent, prefix in sorted(edges, key=repr):
            for above in self.prefixes(parent, seen | {node}):
                found.add(join_paths(above, prefix) if prefix.strip("/") else above)
                if len(found) >= MAX_PREFIXES:
                    return found
        return found
