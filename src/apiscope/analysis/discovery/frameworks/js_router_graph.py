"""Apps, routers and the mounts between them, resolved into full route paths.

The graph is filled by `js_mounts.FileScan` while it reads files; only afterwards are prefixes
known, because a router declared in one file may be mounted from several others, at several
prefixes, through parameters. Paths are built from the roots down, each site once, with cycles
cut, and `:param` written `{param}` at the end.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from apiscope.analysis.discovery.frameworks.js_value_types import Created, Param
from apiscope.analysis.discovery.paths import colon_params, join_paths
from apiscope.analysis.routes import Route

Site = Created | Param
"""An app or router: where a factory created it, or a parameter that receives one."""
_MAX_PREFIXES = 64


@dataclass(frozen=True)
class Endpoint:
    """A route as declared on its site, before the site's prefixes are known."""

    site: Site
    method: str
    path: str
    file: str
    line: int
    handler: str


@dataclass(frozen=True)
class Mount:
    """`child` serves under `parent` at `prefix`; also a site passed to a function (prefix "")."""

    parent: Site
    prefix: str
    child: Site


@dataclass
class RouterGraph:
    """Everything one framework declares in a project; `routes()` resolves the prefixes."""

    framework: str
    endpoints: set[Endpoint] = field(default_factory=set)
    mounts: set[Mount] = field(default_factory=set)
    roots: set[Site] = field(default_factory=set)
    own_prefix: dict[Site, str] = field(default_factory=dict)

    def routes(self) -> Iterator[Route]:
        """Every endpoint on a known router, once per full prefix it is reachable under."""
        routers = self._routers()
        incoming: dict[Site, list[Mount]] = defaultdict(list)
        for mount in self.mounts:
            if mount.parent in routers:
                incoming[mount.child].append(mount)
        memo: dict[Site, set[str]] = {}
        for e in sorted(self.endpoints, key=lambda e: (e.file, e.line, e.path, e.method)):
            if e.site in routers:
                for prefix in sorted(self._prefixes(e.site, incoming, memo, frozenset())):
                    path = colon_params(join_js(prefix, e.path))
                    yield Route(path, e.method, e.file, e.line, e.handler, self.framework)

    def _routers(self) -> set[Site]:
        """The roots and every parameter a root reaches by mounts or calls."""
        routers, pending = set(self.roots), list(self.roots)
        children: dict[Site, list[Site]] = defaultdict(list)
        for mount in self.mounts:
            children[mount.parent].append(mount.child)
        while pending:
            for child in children[pending.pop()]:
                if child not in routers and isinstance(child, Param):
                    routers.add(child)
                    pending.append(child)
        return routers

    def _prefixes(
        self,
        site: Site,
        incoming: dict[Site, list[Mount]],
        memo: dict[Site, set[str]],
        seen: frozenset[Site],
    ) -> set[str]:
        """Each mount's parent prefixes plus the mount path, then the site's own prefix; a site
        nobody (known) mounts serves at the root. `seen` cuts mount cycles."""
        if site in memo:
            return memo[site]
        bases = {
            join_js(base, mount.prefix)
            for mount in incoming[site]
            if mount.parent not in seen | {site}
            for base in self._prefixes(mount.parent, incoming, memo, seen | {site})
        } or {""}
        own = self.own_prefix.get(site, "")
        memo[site] = {join_js(base, own) for base in sorted(bases)[:_MAX_PREFIXES]}
        return memo[site]


def join_js(*parts: str) -> str:
    """Joins like the frameworks do: a bare `/` route under `/users` is `/users`, not `/users/`."""
    return join_paths(*(p for p in parts if p.strip("/")))
