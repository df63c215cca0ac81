"""Which HTTP methods a Django or Django REST framework view answers, and the routes a DRF
router generates for a registered ViewSet.

A ViewSet's actions come from the methods it (or a project base) defines and from the DRF
mixins it inherits (`ModelViewSet` → list, create, retrieve, update, partial_update, destroy);
`@action(detail=..., methods=[...], url_path=...)` adds routes. Class-based views answer the
HTTP methods they define, plus those of the Django and DRF generic views they extend.

Used by `python_django`; it declares no routes itself, hence the empty `DISCOVERERS`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from tree_sitter import Node

from apiscope.analysis.discovery import python_ast as ast
from apiscope.analysis.discovery.frameworks.python_symbols import PythonIndex
from apiscope.analysis.discovery.frameworks.python_views import ClassView, class_view
from apiscope.analysis.discovery.paths import regex_params
from apiscope.analysis.discovery.project import SourceFile
from apiscope.analysis.routes import ANY_METHOD

_CRUD = ("list", "create", "retrieve", "update", "partial_update", "destroy")
_MIXIN_ACTIONS = {
    "ModelViewSet": _CRUD,
    "ReadOnlyModelViewSet": ("list", "retrieve"),
    "ListModelMixin": ("list",),
    "CreateModelMixin": ("create",),
    "RetrieveModelMixin": ("retrieve",),
    "UpdateModelMixin": ("update", "partial_update"),
    "DestroyModelMixin": ("destroy",),
}
_LIST_ACTIONS = {"list": "get", "create": "post"}
_DETAIL_ACTIONS = {
    "retrieve": "get",
    "update": "put",
    "partial_update": "patch",
    "destroy": "delete",
}

_GET, _FORM = ("get",), ("get", "post")
_GENERIC_METHODS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("TemplateView", "ListView", "DetailView", "ArchiveIndexView",
                     "YearArchiveView", "MonthArchiveView", "WeekArchiveView", "DayArchiveView",
                     "TodayArchiveView", "DateDetailView", "ListAPIView", "RetrieveAPIView"), _GET),
    **dict.fromkeys(("FormView", "CreateView", "UpdateView", "LoginView", "LogoutView",
                     "PasswordChangeView", "PasswordResetView", "PasswordResetConfirmView"), _FORM),
    "DeleteView": ("get", "post", "delete"),
    "CreateAPIView": ("post",),
    "DestroyAPIView": ("delete",),
    "UpdateAPIView": ("put", "patch"),
    "ListCreateAPIView": ("get", "post"),
    "RetrieveUpdateAPIView": ("get", "put", "patch"),
    "RetrieveDestroyAPIView": ("get", "delete"),
    "RetrieveUpdateDestroyAPIView": ("get", "put", "patch", "delete"),
}  # fmt: skip
"""Library views whose handling methods are not in the project's source."""

_METHOD_DECORATORS = {"require_GET": ("GET",), "require_POST": ("POST",),
                      "require_safe": ("GET", "HEAD")}  # fmt: skip


@dataclass(frozen=True)
class Endpoint:
    """A route relative to where its view or router is included (Django style, no leading `/`)."""

    path: str
    method: str
    handler: str
    file: str
    line: int


def class_view_methods(
    index: PythonIndex, file: SourceFile, node: Node | None
) -> list[tuple[str, str]]:
    """(METHOD, handler) pairs of a class-based view named by `node`; ANY when it defines none."""
    view = class_view(index, file, node)
    name = view.name if view else ast.last_name(file, node) or "anonymous"
    ancestors = [*view.ancestors] if view else []
    methods = list(view.http_methods()) if view else []
    for base in [name, *ancestors]:
        methods += [m for m in _GENERIC_METHODS.get(base, ()) if m not in methods]
    allowed = view.attribute_strings(index, "http_method_names") if view else None
    if allowed is not None:
        methods = [m for m in methods if m in allowed]
    if not methods:
        return [(ANY_METHOD, name)]
    ordered = [m for m in ast.HTTP_METHODS if m in methods]
    return [(m.upper(), f"{name}.{m}") for m in ordered]


def function_view_methods(index: PythonIndex, file: SourceFile, node: Node) -> list[str]:
    """The methods `@api_view([...])`, `@require_http_methods([...])` or `@require_POST`
    limit a function view to; ANY when it has none of them."""
    found = index.function_named(file, node)
    if found is None:
        return [ANY_METHOD]
    function_file, function = found
    for decorator in ast.decorators(function):
        name = ast.last_name(function_file, decorator) or ""
        if name in _METHOD_DECORATORS:
            return list(_METHOD_DECORATORS[name])
        if name in ("api_view", "require_http_methods") and decorator.type == "call":
            keyword = "http_method_names" if name == "api_view" else "request_method_list"
            listed = ast.strings(function_file, ast.argument(decorator, 0, keyword))
            methods = [m.upper() for m in listed]
            return methods or (["GET"] if name == "api_view" else [ANY_METHOD])
    return [ANY_METHOD]


def viewset_endpoints(
    index: PythonIndex, file: SourceFile, register: Node, trailing: str
) -> Iterator[Endpoint]:
    """The routes `router.register(prefix, ViewSet)` generates: list, detail and `@action`s."""
    prefix = index.string(file, ast.argument(register, 0, "prefix"))
    viewset = ast.argument(register, 1, "viewset")
    if prefix is None or viewset is None:
        return
    base = regex_params(prefix).strip("/")
    view = class_view(index, file, viewset)
    if view is None:
        name = ast.last_name(file, viewset) or "anonymous"
        yield Endpoint(
            _join(base, trailing), "GET", f"{name}.list", file.path, ast.line_of(register)
        )
        return
    lookup = _lookup(index, view)
    allowed = view.attribute_strings(index, "http_method_names")
    crud = _crud_endpoints(view, base, lookup, trailing, (file.path, ast.line_of(register)))
    for endpoint in [*crud, *_action_endpoints(index, view, base, lookup, trailing)]:
        if allowed is None or endpoint.method.lower() in allowed:
            yield endpoint


def _crud_endpoints(
    view: ClassView, base: str, lookup: str, trailing: str, where: tuple[str, int]
) -> Iterator[Endpoint]:
    actions = [a for a in _CRUD if a in view.functions]
    for ancestor in view.ancestors:
        actions += [a for a in _MIXIN_ACTIONS.get(ancestor, ()) if a not in actions]
    for action in (a for a in _CRUD if a in actions):
        detail = action in _DETAIL_ACTIONS
        method = (_DETAIL_ACTIONS if detail else _LIST_ACTIONS)[action].upper()
        path = _join(base, f"{{{lookup}}}", trailing) if detail else _join(base, trailing)
        yield Endpoint(path, method, f"{view.name}.{action}", *where)


def _action_endpoints(
    index: PythonIndex, view: ClassView, base: str, lookup: str, trailing: str
) -> Iterator[Endpoint]:
    """`@action` routes, and the extra methods `@<action>.mapping.delete` adds to them."""
    for name, (file, function) in view.functions.items():
        for decorator in ast.decorators(function):
            kind = ast.last_name(file, decorator)
            if decorator.type != "call" or kind not in ("action", "detail_route", "list_route"):
                continue
            detail_node = ast.argument(decorator, None, "detail")
            detail = kind == "detail_route" or (
                detail_node is not None and file.text(detail_node) == "True"
            )
            url_path = index.string(file, ast.argument(decorator, None, "url_path")) or name
            steps = [base, f"{{{lookup}}}"] if detail else [base]
            path = _join(*steps, regex_params(url_path).strip("/"), trailing)
            methods = ast.strings(file, ast.argument(decorator, None, "methods")) or ["get"]
            for method in methods:
                handler = f"{view.name}.{name}"
                yield Endpoint(path, method.upper(), handler, file.path, ast.line_of(decorator))
            yield from _mapped(view, name, path)


def _mapped(view: ClassView, action: str, path: str) -> Iterator[Endpoint]:
    for name, (file, function) in view.functions.items():
        for decorator in ast.decorators(function):
            written = ast.dotted(file, decorator) or ""
            if written.startswith(f"{action}.mapping."):
                method = written.rsplit(".", 1)[-1].upper()
                yield Endpoint(
                    path, method, f"{view.name}.{name}", file.path, ast.line_of(decorator)
                )


def _lookup(index: PythonIndex, view: ClassView) -> str:
    for attribute in ("lookup_url_kwarg", "lookup_field"):
        value = view.attribute(index, attribute)
        if value:
            return value
    return "pk"


def _join(*parts: str) -> str:
    """DRF's router join: segments with `/`, the trailing slash (or none) appended last."""
    *segments, trailing = parts
    joined = "/".join(s for s in segments if s)
    return joined + trailing if joined else ""
