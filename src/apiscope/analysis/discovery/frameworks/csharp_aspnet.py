"""ASP.NET Core: attribute-routed controllers, conventionally routed MVC controllers, minimal APIs.

Handlers are `UsersController.Get` (the concrete controller, even for an action inherited from a
base class, whose file and line are given) and, for minimal APIs, the method group as written or
`anonymous`. `[controller]` keeps the class name's case (`UsersController` → `/api/Users`), as
ASP.NET generates it; matching is case-insensitive there anyway.
"""

from __future__ import annotations

from collections.abc import Iterator

from apiscope.analysis.discovery.aspnet_controllers import (
    Action,
    ActionTemplate,
    CsClass,
    Hierarchy,
    action_templates,
    project_classes,
    template_argument,
)
from apiscope.analysis.discovery.aspnet_conventional import (
    Pattern,
    conventional_routes,
    route_patterns,
)
from apiscope.analysis.discovery.aspnet_minimal import MinimalApis
from apiscope.analysis.discovery.aspnet_templates import aspnet_path, is_absolute, replace_tokens
from apiscope.analysis.discovery.base import Discoverer
from apiscope.analysis.discovery.csharp_ast import Constants, csharp_files
from apiscope.analysis.discovery.project import Project
from apiscope.analysis.routes import ANY_METHOD, Route

FRAMEWORK = "aspnetcore"
_CONTROLLER_MARKERS = (b"Controller", b"[Route", b"[Http", b"[AcceptVerbs")


class AspNetCoreDiscoverer:
    """Routes of ASP.NET Core controllers and minimal APIs."""

    name = FRAMEWORK
    languages: tuple[str, ...] = ("csharp",)

    def discover(self, project: Project) -> Iterator[Route]:
        """Controllers first, then minimal APIs, over the project's non-test C# files."""
        constants = Constants.collect(list(csharp_files(project, b"const ", b"readonly string")))
        hierarchy = Hierarchy(project_classes(list(csharp_files(project, *_CONTROLLER_MARKERS))))
        patterns = route_patterns(list(csharp_files(project, b"Route")), constants)
        for cls in (c for c in hierarchy.classes if hierarchy.is_concrete(c)):
            conventional = patterns if hierarchy.is_controller(cls) else []
            yield from controller_routes(cls, hierarchy, constants, conventional)
        yield from MinimalApis(list(csharp_files(project, b"Map")), constants).routes()


def controller_routes(
    cls: CsClass, hierarchy: Hierarchy, constants: Constants, patterns: list[Pattern]
) -> Iterator[Route]:
    """Every route of one controller's actions."""
    route_file, route_attributes = hierarchy.inherited(cls, "Route")
    prefixes = [constants.evaluate(route_file, template_argument(a)) for a in route_attributes]
    area_file, areas = hierarchy.inherited(cls, "Area")
    area = constants.evaluate(area_file, template_argument(areas[0], "areaName")) if areas else None
    tokens = {"controller": cls.name.removesuffix("Controller"), "area": area or ""}
    attribute_routed = bool(route_attributes) or bool(cls.attribute("ApiController"))
    for action in hierarchy.actions(cls):
        templates = action_templates(action, constants)
        handler = f"{cls.name}.{action.name}"
        if not attribute_routed:
            yield from _conventional(action, templates, tokens, area, patterns, handler)
        for template in templates:
            for path in _paths(template, [p for p in prefixes if p is not None], bool(prefixes)):
                full = aspnet_path(replace_tokens(path, {**tokens, "action": action.action_name}))
                for method in template.methods:
                    yield Route(full, method, action.file.path, template.line, handler, FRAMEWORK)


def _conventional(
    action: Action,
    templates: list[ActionTemplate],
    tokens: dict[str, str],
    area: str | None,
    patterns: list[Pattern],
    handler: str,
) -> Iterator[Route]:
    """An action of a controller without `[Route]` is reached through the conventional patterns,
    with the methods of its template-less verb attributes (`[HttpPost]`), else any method."""
    if not templates:
        yield from conventional_routes(action, (ANY_METHOD,), tokens, area, patterns, handler)
    for template in (t for t in templates if t.template is None):
        yield from conventional_routes(
            action, template.methods, tokens, area, patterns, handler, template.line
        )


def _paths(template: ActionTemplate, prefixes: list[str], has_prefix: bool) -> list[str]:
    """The action's template under each controller prefix; `/` or `~/` ignores the prefixes."""
    if template.template is None:
        return prefixes
    if not has_prefix or is_absolute(template.template):
        return [template.template]
    return [f"{prefix}/{template.template}" for prefix in prefixes]


DISCOVERERS: tuple[Discoverer, ...] = (AspNetCoreDiscoverer(),)
