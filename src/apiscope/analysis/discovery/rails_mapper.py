"""The Rails router's scopes and resources, reduced to what decides a route's path and controller.

This mirrors `ActionDispatch::Routing::Mapper`: a scope carries the path prefix, the controller
module (`namespace :admin` → `admin/`), the default controller, and where a route sits inside a
resource (collection, member, `new`, or nested under the parent's `{photo_id}`). Shallow nesting
follows Rails too: member routes drop the parent resource but keep namespace paths.
Pure functions over frozen records, so the DSL walker in `frameworks/ruby_rails.py` stays small.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from apiscope.analysis.discovery.inflection import pluralize, singularize
from apiscope.analysis.discovery.paths import colon_params, join_paths

PLURAL_ACTIONS = ("index", "create", "new", "edit", "show", "update", "destroy")
SINGULAR_ACTIONS = ("create", "new", "edit", "show", "update", "destroy")
_OPTIONAL_GROUP = re.compile(r"\([^()]*\)")


def rails_path(path: str) -> str:
    """`photos(/:page)(.:format)` → `photos`: optional groups dropped, `:id` → `{id}`."""
    while _OPTIONAL_GROUP.search(path):
        path = _OPTIONAL_GROUP.sub("", path)
    return colon_params(path)


@dataclass(frozen=True)
class Resource:
    """One `resources :photos` or `resource :profile` declaration."""

    name: str
    singular: bool
    path: str
    controller: str
    param: str = "id"
    actions: tuple[str, ...] = PLURAL_ACTIONS
    new_name: str = "new"
    edit_name: str = "edit"
    alias: str | None = None

    @property
    def member_name(self) -> str:
        """`photos` → `photo`; names the parent parameter of nested routes."""
        name = self.alias or self.name
        return name if self.singular else singularize(name)

    @property
    def nested_param(self) -> str:
        """The parameter children see: `{magazine_id}`, or `{magazine_slug}` with `param: :slug`."""
        return f"{self.member_name}_{self.param}"


def make_resource(
    name: str, singular: bool, options: dict[str, str], path_names: dict[str, str]
) -> Resource:
    """A resource from its declaration's literal options (`path:`, `controller:`, `param:`...)
    and `path_names: { new: "neu", edit: "bearbeiten" }`."""
    default_controller = pluralize(name) if singular else name
    return Resource(
        name=name,
        singular=singular,
        path=options.get("path", name),
        controller=options.get("controller", default_controller),
        param=options.get("param", "id"),
        alias=options.get("as"),
        new_name=path_names.get("new", "new"),
        edit_name=path_names.get("edit", "edit"),
    )


def choose_actions(
    resource: Resource, only: list[str] | None, exclude: list[str] | None, api_only: bool
) -> Resource:
    """Apply `only:` / `except:`; API-only apps (`config.api_only = true`) drop `new` and `edit`."""
    allowed = SINGULAR_ACTIONS if resource.singular else PLURAL_ACTIONS
    if only is not None:
        chosen = tuple(a for a in allowed if a in only)
    else:
        default = tuple(a for a in allowed if not (api_only and a in ("new", "edit")))
        chosen = tuple(a for a in default if a not in (exclude or ()))
    return replace(resource, actions=chosen)


@dataclass(frozen=True)
class Scope:
    """Where a DSL call sits: prefixes, controller module and the enclosing resource."""

    path: str = "/"
    module: str = ""
    controller: str | None = None
    shallow: bool = False
    shallow_path: str = "/"
    level: str = "root"
    """`root`, `resources`, `resource`, `member`, `collection`, `new` or `nested`."""
    resource: Resource | None = None
    shallow_base: str = "/"
    """The resource's path once its parents are dropped, for shallow member routes."""
    depth: int = 0
    """How many resources enclose this scope."""

    def under(self, path: str = "", module: str = "", controller: str | None = None) -> Scope:
        """A `scope`: the path and module appended, the controller replaced when given."""
        joined_module = "/".join(m.strip("/") for m in (self.module, module) if m.strip("/"))
        return replace(
            self, path=join_paths(self.path, rails_path(path)), module=joined_module,
            controller=controller if controller is not None else self.controller,
        )  # fmt: skip

    def namespace(self, path: str, module: str) -> Scope:
        """`namespace :admin`: path, module and the shallow path all gain `admin`."""
        inner = self.under(path, module)
        return replace(inner, shallow_path=join_paths(self.shallow_path, rails_path(path)))

    def enter(self, resource: Resource, shallow: bool) -> Scope:
        """Inside `resources :photos`: the collection path, the resource's controller."""
        segment = rails_path(resource.path)
        return replace(
            self, path=join_paths(self.path, segment), controller=resource.controller,
            level="resource" if resource.singular else "resources", resource=resource,
            shallow=self.shallow or shallow, shallow_base=join_paths(self.shallow_path, segment),
            depth=self.depth + 1,
        )  # fmt: skip

    def member(self) -> Scope:
        """`member do`: `/photos/{id}`, or `/comments/{id}` when shallow."""
        resource = self.resource
        if resource is None or resource.singular:
            return replace(self, level="member")
        base = self.shallow_base if self.shallow else self.path
        return replace(self, path=join_paths(base, "{" + resource.param + "}"), level="member")

    def collection(self) -> Scope:
        """`collection do`: the collection path itself."""
        return replace(self, level="collection")

    def new(self) -> Scope:
        """`new do`: `/photos/new`."""
        name = self.resource.new_name if self.resource else "new"
        return replace(self, path=join_paths(self.path, name), level="new")

    def nested(self) -> Scope:
        """Children of a resource: `/magazines/{magazine_id}`, no id for a singular resource."""
        resource = self.resource
        if resource is None or resource.singular:
            return replace(self, level="nested", resource=None)
        base = self.shallow_base if self.shallow and self.depth > 1 else self.path
        param = "{" + resource.nested_param + "}"
        return replace(self, path=join_paths(base, param), level="nested", resource=None)

    def default(self, on: str | None) -> Scope:
        """Where a bare `get 'x'` lands: `on:` if given, else nested in `resources`, member in
        `resource`, here otherwise."""
        if on == "member":
            return self.member()
        if on == "collection":
            return self.collection()
        if on == "new":
            return self.new()
        if self.level == "resources":
            return self.nested()
        return self.member() if self.level == "resource" else self

    def handler(self, controller: str | None, action: str) -> str:
        """`admin/photos#show`: the module applies unless the controller starts with `/`."""
        name = controller if controller is not None else (self.controller or "")
        if name.startswith("/"):
            return f"{name.lstrip('/')}#{action}"
        return "/".join(p for p in (self.module, name) if p) + f"#{action}"


def resource_routes(scope: Scope) -> list[tuple[str, str, str]]:
    """The (method, path, action) triples of the resource `scope` was entered for."""
    resource = scope.resource
    if resource is None:
        return []
    member = scope.member().path
    paths = {
        "index": [("GET", scope.path)],
        "create": [("POST", scope.path)],
        "new": [("GET", scope.new().path)],
        "edit": [("GET", join_paths(member, resource.edit_name))],
        "show": [("GET", member)],
        "update": [("PATCH", member), ("PUT", member)],
        "destroy": [("DELETE", member)],
    }
    return [(verb, path, a) for a in resource.actions for verb, path in paths[a]]
