"""The Laravel router calls that declare routes, read into (method, path, handler) triples.

`Route::get('/x', [UserController::class, 'show'])`, `Route::match(['get', 'post'], ...)`,
`Route::any`, `Route::view`, `Route::redirect`, and the resource family with the modifiers
chained after it (`->only([...])`, `->except(...)`, `->parameters([...])`, `->shallow()`).
"""

from __future__ import annotations

from collections.abc import Callable

from tree_sitter import Node

from apiscope.analysis.discovery.laravel_resources import ResourceSpec, resource_routes
from apiscope.analysis.discovery.php_ast import (
    Link,
    array_items,
    class_name,
    short_class,
    string_value,
    strings,
)
from apiscope.analysis.discovery.project import SourceFile
from apiscope.analysis.routes import ANY_METHOD

VERBS = frozenset({"get", "post", "put", "patch", "delete", "options"})
RESOURCES = frozenset({"resource", "apiResource", "singleton", "apiSingleton"})
Declared = list[tuple[str, str, str]]


def declare(
    file: SourceFile, link: Link, modifiers: list[Link], controller: str | None
) -> Declared | None:
    """The routes one call declares; None when the call declares none (`name`, `middleware`)."""
    reader = _READERS.get(link.name)
    if reader is not None:
        return reader(file, link, modifiers, controller)
    return None


def handler(file: SourceFile, node: Node | None, controller: str | None) -> str:
    """`UserController@show` from `[UserController::class, 'show']`, `'UserController@show'`,
    `UserController::class` (invokable), `'show'` inside `Route::controller(...)`, or `uses`."""
    if node is None:
        return f"{controller}@__invoke" if controller else "anonymous"
    invokable = class_name(file, node)
    if invokable is not None:
        return f"{invokable}@__invoke"
    text = string_value(file, node)
    if text is not None:
        return _string_handler(text, controller)
    items = array_items(file, node)
    if items is None:
        return "anonymous"
    uses = next((value for key, value in items if key == "uses"), None)
    if uses is not None:
        return handler(file, uses, controller)
    positional = [value for key, value in items if key is None]
    if len(positional) == 2 and (
        owner := class_name(file, positional[0]) or string_value(file, positional[0])
    ):
        return f"{short_class(owner)}@{string_value(file, positional[1]) or '__invoke'}"
    return "anonymous"


def _string_handler(text: str, controller: str | None) -> str:
    if "@" in text:
        owner, _, method = text.partition("@")
        return f"{short_class(owner)}@{method}"
    if controller is not None:
        return f"{controller}@{text}"
    return f"{short_class(text)}@__invoke"


def _verb(file: SourceFile, link: Link, modifiers: list[Link], controller: str | None) -> Declared:
    uri = string_value(file, link.arg(0, "uri"))
    if uri is None:
        return []
    method = ANY_METHOD if link.name == "any" else link.name.upper()
    return [(method, uri, handler(file, link.arg(1, "action"), controller))]


def _match(file: SourceFile, link: Link, modifiers: list[Link], controller: str | None) -> Declared:
    methods, uri = strings(file, link.arg(0, "methods")), string_value(file, link.arg(1, "uri"))
    if methods is None or uri is None:
        return []
    action = handler(file, link.arg(2, "action"), controller)
    return [(m.upper(), uri, action) for m in methods]


def _view(file: SourceFile, link: Link, modifiers: list[Link], controller: str | None) -> Declared:
    uri = string_value(file, link.arg(0, "uri"))
    return [] if uri is None else [("GET", uri, "view")]


def _redirect(
    file: SourceFile, link: Link, modifiers: list[Link], controller: str | None
) -> Declared:
    uri = string_value(file, link.arg(0, "uri"))
    return [] if uri is None else [(ANY_METHOD, uri, "redirect")]


def _resource(
    file: SourceFile, link: Link, modifiers: list[Link], controller: str | None
) -> Declared:
    name = string_value(file, link.arg(0, "name"))
    owner = _owner(file, link.arg(1, "controller"))
    if name is None or owner is None:
        return []
    return _expand(file, ResourceSpec(name, link.name), owner, link.arg(2, "options"), modifiers)


def _resources(
    file: SourceFile, link: Link, modifiers: list[Link], controller: str | None
) -> Declared:
    kind = "apiResource" if link.name == "apiResources" else "resource"
    found: Declared = []
    for name, value in array_items(file, link.arg(0)) or ():
        owner = _owner(file, value)
        if name is not None and owner is not None:
            found += _expand(
                file, ResourceSpec(name, kind), owner, link.arg(1, "options"), modifiers
            )
    return found


def _owner(file: SourceFile, node: Node | None) -> str | None:
    name = class_name(file, node) or string_value(file, node)
    return short_class(name) if name else None


def _expand(
    file: SourceFile, spec: ResourceSpec, owner: str, options: Node | None, modifiers: list[Link]
) -> Declared:
    for key, value in array_items(file, options) or ():
        _option(file, spec, key, value)
    for modifier in modifiers:
        values = [v for k, v in modifier.args if k is None]
        if modifier.name in ("only", "except"):
            names = [s for v in values for s in strings(file, v) or ()]
            _option_values(spec, modifier.name, names)
        elif modifier.name == "parameters" and values:
            _option(file, spec, "parameters", values[0])
        elif modifier.name == "parameter" and len(values) == 2:
            spec.parameters[string_value(file, values[0]) or ""] = (
                string_value(file, values[1]) or ""
            )
        elif modifier.name in ("shallow", "creatable", "destroyable"):
            setattr(spec, modifier.name, True)
    return [(method, path, f"{owner}@{action}") for method, path, action in resource_routes(spec)]


def _option(file: SourceFile, spec: ResourceSpec, key: str | None, value: Node) -> None:
    if key in ("only", "except"):
        _option_values(spec, key, strings(file, value) or [])
    elif key == "parameters":
        for name, param in array_items(file, value) or ():
            if name is not None and (text := string_value(file, param)) is not None:
                spec.parameters[name] = text
    elif key == "shallow":
        spec.shallow = file.text(value).lower() == "true"


def _option_values(spec: ResourceSpec, key: str, names: list[str]) -> None:
    if key == "only":
        spec.only = names
    else:
        spec.exclude = names


# laravel/ui's `Auth::routes()`: (option, default, [(method, path, controller@action)]).
_AUTH_ROUTES = (
    ("login", True, [("GET", "login", "LoginController@showLoginForm"),
                     ("POST", "login", "LoginController@login")]),
    ("logout", True, [("POST", "logout", "LoginController@logout")]),
    ("register", True, [("GET", "register", "RegisterController@showRegistrationForm"),
                        ("POST", "register", "RegisterController@register")]),
    ("reset", True, [("GET", "password/reset", "ForgotPasswordController@showLinkRequestForm"),
                     ("POST", "password/email", "ForgotPasswordController@sendResetLinkEmail"),
                     ("GET", "password/reset/{token}", "ResetPasswordController@showResetForm"),
                     ("POST", "password/reset", "ResetPasswordController@reset")]),
    ("confirm", None, [("GET", "password/confirm", "ConfirmPasswordController@showConfirmForm"),
                       ("POST", "password/confirm", "ConfirmPasswordController@confirm")]),
    ("verify", False, [("GET", "email/verify", "VerificationController@show"),
                       ("GET", "email/verify/{id}/{hash}", "VerificationController@verify"),
                       ("POST", "email/resend", "VerificationController@resend")]),
)  # fmt: skip


def auth_routes(file: SourceFile, link: Link, has_confirm_controller: bool) -> Declared:
    """The login, registration and password routes `Auth::routes([...])` registers; password
    confirmation defaults to whether the app has a `ConfirmPasswordController`."""
    options = {k: file.text(v).lower() == "true" for k, v in array_items(file, link.arg(0)) or ()}
    found: Declared = []
    for name, default, routes in _AUTH_ROUTES:
        if options.get(name, has_confirm_controller if default is None else default):
            found += routes
    return found


Reader = Callable[[SourceFile, Link, list[Link], str | None], Declared]
_READERS: dict[str, Reader] = {
    **dict.fromkeys(VERBS, _verb),
    "any": _verb,
    "match": _match,
    "view": _view,
    "redirect": _redirect,
    "permanentRedirect": _redirect,
    **dict.fromkeys(RESOURCES, _resource),
    "resources": _resources,
    "apiResources": _resources,
}
