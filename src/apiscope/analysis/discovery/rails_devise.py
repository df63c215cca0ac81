"""Devise's `devise_for :users`: the sign-in, password and registration routes a Rails app serves.

Which routes exist depends on the modules the model enables (`devise :database_authenticatable,
:registerable, ...` in `app/models/user.rb`), defaulting to those of Devise's generator; the
routes then follow Devise's own mapping: `path:`, `path_names:`, `controllers:`, `only:` and
`skip:` are honoured, the handler is `devise/sessions#new` unless a controller is overridden.
OmniAuth callbacks (one route per configured provider) are not listed.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from apiscope.analysis.discovery.inflection import singularize
from apiscope.analysis.discovery.paths import join_paths
from apiscope.analysis.discovery.project import SourceFile
from apiscope.analysis.discovery.rails_dsl import Drawing, option
from apiscope.analysis.discovery.rails_mapper import Scope
from apiscope.analysis.discovery.ruby_ast import Call, literal, literal_hash, literals, parse_call

DEFAULT_MODULES = ("database_authenticatable", "registerable", "recoverable")
"""What `rails generate devise User` enables that has routes."""
CONTROLLER_OF = {
    "database_authenticatable": "sessions",
    "recoverable": "passwords",
    "registerable": "registrations",
    "confirmable": "confirmations",
    "lockable": "unlocks",
}
# (method, path under the resource with `path_names` keys in braces, action) per controller.
ROUTES = {
    "sessions": [("GET", "<sign_in>", "new"), ("POST", "<sign_in>", "create"),
                 ("DELETE", "<sign_out>", "destroy")],
    "passwords": [("GET", "<password>/<new>", "new"), ("GET", "<password>/<edit>", "edit"),
                  ("PATCH", "<password>", "update"), ("PUT", "<password>", "update"),
                  ("POST", "<password>", "create")],
    "registrations": [("GET", "<registration>/<cancel>", "cancel"),
                      ("GET", "<registration>/<sign_up>", "new"),
                      ("GET", "<registration>/<edit>", "edit"),
                      ("PATCH", "<registration>", "update"), ("PUT", "<registration>", "update"),
                      ("DELETE", "<registration>", "destroy"),
                      ("POST", "<registration>", "create")],
    "confirmations": [("GET", "<confirmation>/<new>", "new"), ("GET", "<confirmation>", "show"),
                      ("POST", "<confirmation>", "create")],
    "unlocks": [("GET", "<unlock>/<new>", "new"), ("GET", "<unlock>", "show"),
                ("POST", "<unlock>", "create")],
}  # fmt: skip
PATH_NAMES = {
    "sign_in": "sign_in", "sign_out": "sign_out", "sign_up": "sign_up", "password": "password",
    "confirmation": "confirmation", "unlock": "unlock", "registration": "", "cancel": "cancel",
    "new": "new", "edit": "edit",
}  # fmt: skip


def declare_devise(drawing: Drawing, file: SourceFile, call: Call, scope: Scope) -> None:
    """Every route one `devise_for :users, ...` declares, at its line."""
    for name in (n for n in (literal(file, a) for a in call.args) if n is not None):
        base = join_paths(scope.path, option(file, call, "path") or name)
        names = {**PATH_NAMES, **literal_hash(file, call.options.get("path_names"))}
        controllers = literal_hash(file, call.options.get("controllers"))
        module = option(file, call, "module") or scope.module or "devise"
        for controller in _controllers(drawing, file, call, name):
            target = controllers.get(controller, f"{module}/{controller}")
            for method, template, action in ROUTES[controller]:
                path = join_paths(base, *(names[p.strip("<>")] for p in template.split("/")))
                drawing.add(file, call.line, method, path, f"{target}#{action}")


def _controllers(drawing: Drawing, file: SourceFile, call: Call, name: str) -> list[str]:
    """The Devise controllers with routes: the model's modules, less `skip:`, within `only:`."""
    model = option(file, call, "class_name") or singularize(name)
    modules = model_modules(drawing, model) or DEFAULT_MODULES
    found = [CONTROLLER_OF[m] for m in CONTROLLER_OF if m in modules]
    only = literals(file, call.options.get("only"))
    skip = literals(file, call.options.get("skip")) or []
    return [c for c in found if (only is None or c in only) and c not in skip and "all" not in skip]


def model_modules(drawing: Drawing, model: str) -> list[str]:
    """The symbols of the `devise ...` call in `app/models/<model>.rb`; empty when not found."""
    path = "app/models/" + "/".join(_underscore(p) for p in model.split("::")) + ".rb"
    source = drawing.project.get(path)
    if source is None:
        return []
    for node in _calls(source.root):
        call = parse_call(source, node)
        if call is not None and call.name == "devise" and call.receiver is None:
            return [v for a in call.args if (v := literal(source, a)) is not None]
    return []


def _calls(node: Node) -> Iterator[Node]:
    if node.type == "call":
        yield node
    for child in node.named_children:
        yield from _calls(child)


def _underscore(name: str) -> str:
    out = "".join(f"_{c.lower()}" if c.isupper() else c for c in name)
    return out.lstrip("_")
