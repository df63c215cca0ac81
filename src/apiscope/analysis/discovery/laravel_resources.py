"""Laravel resource routes: what `Route::resource`, `apiResource` and `singleton` expand into.

`Route::resource('photos.comments', CommentController::class)` serves
`/photos/{photo}/comments/{comment}`: parameters are the singular of each segment (`-` becoming
`_`), renamed by `->parameters([...])`; `->shallow()` drops the parents from member routes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from apiscope.analysis.discovery.inflection import singularize
from apiscope.analysis.discovery.paths import join_paths

RESOURCE_ACTIONS = ("index", "create", "store", "show", "edit", "update", "destroy")
API_ACTIONS = ("index", "store", "show", "update", "destroy")
SINGLETON_ACTIONS = ("show", "edit", "update")
CREATABLE_ACTIONS = ("create", "store", "destroy")


@dataclass
class ResourceSpec:
    """A resource declaration with the modifiers chained onto it."""

    name: str
    kind: str
    """`resource`, `apiResource`, `singleton` or `apiSingleton`."""
    only: list[str] | None = None
    exclude: list[str] = field(default_factory=list)
    parameters: dict[str, str] = field(default_factory=dict)
    shallow: bool = False
    creatable: bool = False
    destroyable: bool = False

    def actions(self) -> list[str]:
        """The actions left after `only` / `except`, in Laravel's order."""
        return [a for a in self._defaults() if (self.only is None or a in self.only)
                and a not in self.exclude]  # fmt: skip

    def _defaults(self) -> tuple[str, ...]:
        if self.kind in ("singleton", "apiSingleton"):
            extra = (
                CREATABLE_ACTIONS if self.creatable else ("destroy",) if self.destroyable else ()
            )
            base = SINGLETON_ACTIONS + extra
            api = self.kind == "apiSingleton"
            return tuple(
                a for a in RESOURCE_ACTIONS if a in base and not (api and a in ("create", "edit"))
            )
        return API_ACTIONS if self.kind == "apiResource" else RESOURCE_ACTIONS

    def parameter(self, segment: str) -> str:
        """`photos` → `{photo}`, `user-profiles` → `{user_profile}`, or as renamed."""
        name = self.parameters.get(segment) or singularize(segment.replace("-", "_"))
        return "{" + name + "}"


def resource_routes(spec: ResourceSpec) -> list[tuple[str, str, str]]:
    """The (method, path relative to the group, action) triples a resource declares."""
    *parents, last = spec.name.strip("/").split(".")
    folder, _, last = last.rpartition("/")
    nesting = [f"{p}/{spec.parameter(p)}" for p in parents]
    collection = join_paths(folder, *nesting, last)
    singleton = spec.kind in ("singleton", "apiSingleton")
    member = collection if singleton else join_paths(collection, spec.parameter(last))
    if spec.shallow and not singleton:
        member = join_paths(folder, last, spec.parameter(last))
    paths = {
        "index": [("GET", collection)],
        "create": [("GET", join_paths(collection, "create"))],
        "store": [("POST", collection)],
        "show": [("GET", member)],
        "edit": [("GET", join_paths(member, "edit"))],
        "update": [("PUT", member), ("PATCH", member)],
        "destroy": [("DELETE", member)],
    }
    return [(method, path, action) for action in spec.actions() for method, path in paths[action]]
