"""ASP.NET Core conventional routing: MVC actions without route attributes, reached through
`MapControllerRoute(pattern: "{controller=Home}/{action=Index}/{id?}")` and its relatives.

Each action gets its full path under each pattern (`/Home/Index`, `/Products/Details/{id}`);
the shorter URLs that the defaults also accept (`/`, `/Home`) are not listed separately. An
optional parameter is kept only when the action takes a parameter of that name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tree_sitter import Node

from apiscope.analysis.discovery.aspnet_controllers import Action
from apiscope.analysis.discovery.aspnet_minimal import invocations
from apiscope.analysis.discovery.aspnet_templates import aspnet_path
from apiscope.analysis.discovery.csharp_ast import Constants, line_of
from apiscope.analysis.discovery.project import SourceFile
from apiscope.analysis.routes import Route

DEFAULT_PATTERN = "{controller=Home}/{action=Index}/{id?}"
_DEFAULT_CALLS = frozenset({"MapDefaultControllerRoute", "UseMvcWithDefaultRoute"})
_PATTERN_ARGUMENT = {"MapControllerRoute": 1, "MapRoute": 1, "MapAreaControllerRoute": 2}
_PARAMETER = re.compile(r"\{\*{0,2}([A-Za-z_]\w*)([^}]*)\}")


@dataclass(frozen=True)
class Pattern:
    """A conventional route pattern, limited to one area by `MapAreaControllerRoute`."""

    template: str
    area: str | None = None

    def applies_to(self, area: str | None) -> bool:
        """Area controllers take area patterns, the others take the rest."""
        if self.area is not None:
            return self.area == area
        return ("{area" in self.template) == (area is not None)


def route_patterns(files: list[SourceFile], constants: Constants) -> list[Pattern]:
    """Every conventional pattern the application registers."""
    found: list[Pattern] = []
    for file in files:
        for call in invocations(file, file.root):
            if call.name in _DEFAULT_CALLS:
                found.append(Pattern(DEFAULT_PATTERN))
            elif call.name in _PATTERN_ARGUMENT:
                found += _pattern(file, call.name, call.args, constants)
    return found


def _pattern(
    file: SourceFile, name: str, args: tuple[Node, ...], constants: Constants
) -> list[Pattern]:
    named = {_argument_name(file, a): a for a in args}
    index = _PATTERN_ARGUMENT[name]
    node = (
        named.get("pattern")
        or named.get("template")
        or (args[index] if len(args) > index else None)
    )
    template = constants.evaluate(file, _expression(node)) if node is not None else None
    if template is None:
        return []
    area_node = named.get("areaName") or (args[1] if name == "MapAreaControllerRoute" else None)
    area = constants.evaluate(file, _expression(area_node)) if area_node is not None else None
    return [Pattern(template, area if name == "MapAreaControllerRoute" else None)]


def _argument_name(file: SourceFile, argument: Node) -> str | None:
    name = argument.child_by_field_name("name")
    return file.text(name) if name is not None else None


def _expression(argument: Node) -> Node:
    return argument.named_children[-1] if argument.named_children else argument


def conventional_routes(
    action: Action,
    methods: tuple[str, ...],
    tokens: dict[str, str],
    area: str | None,
    patterns: list[Pattern],
    handler: str,
    line: int | None = None,
) -> Iterator[Route]:
    """The action's routes under every pattern that applies to its controller."""
    values = {**tokens, "action": action.action_name}
    parameters = action.parameter_names()
    for pattern in (p for p in patterns if p.applies_to(area)):
        segments = (_segment(s, values, parameters) for s in pattern.template.split("/"))
        path = aspnet_path(*(s for s in segments if s is not None))
        for method in methods:
            yield Route(path, method, action.file.path, line or line_of(action.node), handler,
                        "aspnetcore")  # fmt: skip


def _segment(segment: str, values: dict[str, str], parameters: set[str]) -> str | None:
    """A pattern segment filled in for one action; None when an optional parameter is dropped."""
    dropped = False

    def fill(match: re.Match[str]) -> str:
        nonlocal dropped
        name, rest = match.group(1), match.group(2)
        if name.lower() in values:
            return values[name.lower()]
        optional = "?" in rest or "=" in rest
        dropped = dropped or (optional and name not in parameters)
        return "{" + name + "}"

    filled = _PARAMETER.sub(fill, segment)
    return None if dropped else filled
