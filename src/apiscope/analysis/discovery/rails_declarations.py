"""The Rails DSL calls that declare routes: `get`/`post`/..., `match`, `root` and `resources`.

A verb's controller and action come from `to: 'c#a'`, from `controller:`/`action:`, from the
`photos/search` shorthand, or from the enclosing scope (`resources :photos do get :preview ...`).
"""

from __future__ import annotations

import re

from tree_sitter import Node

from apiscope.analysis.discovery.paths import join_paths
from apiscope.analysis.discovery.project import SourceFile
from apiscope.analysis.discovery.rails_dsl import (
    Drawing,
    Handler,
    apply_concern,
    option,
    option_is_true,
)
from apiscope.analysis.discovery.rails_mapper import (
    Scope,
    choose_actions,
    make_resource,
    rails_path,
    resource_routes,
)
from apiscope.analysis.discovery.ruby_ast import Call, literal, literal_hash, literals
from apiscope.analysis.routes import ANY_METHOD

VERBS = ("get", "post", "put", "patch", "delete", "options")
_SHORTHAND = re.compile(r"^/?[-\w]+/[-\w/]+$")
_ACTION_LIKE = re.compile(r"^[-\w]+$")
_RESOURCE_OPTIONS = ("path", "controller", "param", "as")
CANONICAL_ACTIONS = frozenset({"index", "create", "new", "show", "update", "destroy"})


def _verbs(file: SourceFile, call: Call) -> list[str]:
    """`get` → GET; `match via: [:get, :post]` → GET, POST; `via: :all` or none → ANY."""
    if call.name != "match":
        return [call.name.upper()]
    via = literals(file, call.options.get("via")) or ["all"]
    return [ANY_METHOD] if "all" in via else [v.upper() for v in via]


def _declare_verb(drawing: Drawing, file: SourceFile, call: Call, scope: Scope) -> None:
    path_node, to_node = (call.args[0] if call.args else None), call.options.get("to")
    if call.rockets:
        path_node, to_node = call.rockets[0]
    raw = literal(file, path_node)
    if path_node is None or raw is None:
        return
    target = scope.default(option(file, call, "on"))
    path = join_paths(target.path, rails_path(_segment(file, call, path_node, raw, target)))
    handler = _handler(file, call, to_node, raw, scope)
    for verb in _verbs(file, call):
        drawing.add(file, call.line, verb, path, handler)


def _segment(file: SourceFile, call: Call, path_node: Node, raw: str, target: Scope) -> str:
    """What a verb adds to the path: a string as written; a symbol names an action, and a
    standard action in a `member`/`collection`/`new` block adds nothing (`put :update`)."""
    if path_node.type != "simple_symbol":
        return raw
    explicit = option(file, call, "path")
    if explicit is not None:
        return explicit
    canonical = target.level in ("member", "collection", "new") and raw in CANONICAL_ACTIONS
    return "" if canonical else raw


def _handler(file: SourceFile, call: Call, to: Node | None, raw: str, scope: Scope) -> str:
    """`photos#show` from whichever of `to:`, `controller:`/`action:`, the path or scope says it."""
    if to is not None:
        return _target(file, to, scope)
    controller, action = option(file, call, "controller"), option(file, call, "action")
    if controller is None and action is None and _SHORTHAND.match(raw):
        controller, action = raw.strip("/").rsplit("/", 1)
    if action is None:
        action = raw if _ACTION_LIKE.match(raw) else ""
    return scope.handler(controller, action.replace("-", "_"))


def _target(file: SourceFile, to: Node, scope: Scope) -> str:
    """`to: 'photos#show'`, `to: redirect(...)`, `to: ->(env) { ... }` or a Rack app constant."""
    text = literal(file, to)
    if text is not None and "#" in text:
        controller, _, action = text.partition("#")
        return scope.handler(controller or None, action or "index")
    if text is not None:
        return scope.handler(None, text)
    if to.type == "call":
        method = to.child_by_field_name("method")
        name = file.text(method) if method is not None else ""
        return (
            "redirect"
            if name == "redirect"
            else "anonymous"
            if name in ("lambda", "proc")
            else name
        )
    if to.type in ("constant", "scope_resolution"):
        return file.text(to)
    return "anonymous"


def _declare_root(drawing: Drawing, file: SourceFile, call: Call, scope: Scope) -> None:
    to = call.options.get("to") or (call.args[0] if call.args else None)
    if to is not None:
        handler = _target(file, to, scope)
    else:
        action = option(file, call, "action") or "index"
        handler = scope.handler(option(file, call, "controller"), action)
    drawing.add(file, call.line, "GET", scope.path, handler)


def _declare_resources(drawing: Drawing, file: SourceFile, call: Call, scope: Scope) -> None:
    base = scope.nested() if scope.level in ("resources", "resource") else scope
    module = option(file, call, "module")
    if module:
        base = base.under("", module)
    options = {k: v for k in _RESOURCE_OPTIONS if (v := option(file, call, k)) is not None}
    only = literals(file, call.options.get("only"))
    exclude = literals(file, call.options.get("except"))
    concerns = literals(file, call.options.get("concerns")) or []
    path_names = literal_hash(file, call.options.get("path_names"))
    for name in (n for n in (literal(file, a) for a in call.args) if n is not None):
        resource = make_resource(name, call.name == "resource", options, path_names)
        resource = choose_actions(resource, only, exclude, drawing.api_only)
        inner = base.enter(resource, option_is_true(file, call, "shallow"))
        drawing.walk(file, call.body or (), inner)
        for concern in concerns:
            apply_concern(drawing, concern, inner)
        for verb, path, action in resource_routes(inner):
            drawing.add(file, call.line, verb, path, inner.handler(None, action))


DECLARATION_HANDLERS: dict[str, Handler] = {
    **dict.fromkeys(VERBS, _declare_verb),
    "match": _declare_verb,
    "root": _declare_root,
    "resources": _declare_resources,
    "resource": _declare_resources,
}
