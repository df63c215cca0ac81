"""ASP.NET Core controllers: the classes, their actions and the routes their attributes declare.

A controller is a public, non-abstract class named `...Controller` or marked `[ApiController]` /
`[Controller]`, here or on a base class. `[Route]` on a class is inherited by its subclasses, and
so are the actions of project base classes (`ProductsController : CrudController<Product>`).
An action route is the class template joined with the action's (`[HttpGet("{id}")]`, or
`[Route("x")]` with template-less verb attributes giving its methods); `/` or `~/` starts over.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from tree_sitter import Node

from apiscope.analysis.discovery.csharp_ast import (
    Attribute,
    Constants,
    attributes,
    base_types,
    classes,
    declared_name,
    modifiers,
)
from apiscope.analysis.discovery.project import SourceFile
from apiscope.analysis.routes import ANY_METHOD

VERB_ATTRIBUTES = {
    "HttpGet": "GET", "HttpPost": "POST", "HttpPut": "PUT", "HttpDelete": "DELETE",
    "HttpPatch": "PATCH", "HttpHead": "HEAD", "HttpOptions": "OPTIONS",
}  # fmt: skip
CONTROLLER_MARKERS = frozenset({"ApiController", "Controller"})
CONTROLLER_BASES = frozenset({"Controller", "ControllerBase", "ODataController", "ApiController"})


@dataclass(frozen=True)
class CsClass:
    """A class declaration with what routing reads from it."""

    file: SourceFile
    node: Node
    name: str
    bases: tuple[str, ...]
    attributes: tuple[Attribute, ...]
    modifiers: frozenset[str]

    def attribute(self, *names: str) -> list[Attribute]:
        """The attributes with one of these names."""
        return [a for a in self.attributes if a.name in names]


@dataclass(frozen=True)
class Action:
    """A public method of a controller, possibly declared on a base class."""

    file: SourceFile
    node: Node
    name: str
    attributes: tuple[Attribute, ...]

    @property
    def action_name(self) -> str:
        """The `[action]` token: `[ActionName]`, else the method name without `Async`."""
        renamed = next((a for a in self.attributes if a.name == "ActionName"), None)
        if renamed is not None and renamed.positional():
            return self.file.text(renamed.positional()[0]).strip('"')
        return self.name.removesuffix("Async") or self.name

    def parameter_names(self) -> set[str]:
        """The names of the method's parameters (conventional routes fill `{id?}` from them)."""
        parameters = self.node.child_by_field_name("parameters")
        names = (
            (p.child_by_field_name("name") for p in parameters.named_children) if parameters else ()
        )
        return {self.file.text(n) for n in names if n is not None}


@dataclass(frozen=True)
class ActionTemplate:
    """One route an action declares, before the controller's prefixes are applied."""

    methods: tuple[str, ...]
    template: str | None
    """None when the action adds nothing to the controller's template (`[HttpGet]`)."""
    line: int


def project_classes(files: list[SourceFile]) -> list[CsClass]:
    """Every class declared in these files."""
    return [
        CsClass(
            file,
            node,
            declared_name(file, node),
            tuple(base_types(file, node)),
            tuple(attributes(file, node)),
            frozenset(modifiers(file, node)),
        )
        for file in files
        for _, node in classes(file, file.root)
    ]


class Hierarchy:
    """Project classes by simple name, to follow base classes declared in other files."""

    def __init__(self, found: list[CsClass]) -> None:
        self.classes = found
        self.by_name: dict[str, CsClass] = {}
        for cls in found:
            self.by_name.setdefault(cls.name, cls)

    def lineage(self, cls: CsClass) -> list[CsClass]:
        """The class, then its project base classes, nearest first."""
        chain = [cls]
        while (base := self._base(chain[-1])) is not None and base not in chain:
            chain.append(base)
        return chain

    def _base(self, cls: CsClass) -> CsClass | None:
        return next((self.by_name[b] for b in cls.bases if b in self.by_name), None)

    @staticmethod
    def is_concrete(cls: CsClass) -> bool:
        """A class ASP.NET can use as a controller: public, concrete, not `[NonController]`."""
        excluded = {"abstract", "static"} & cls.modifiers
        return "public" in cls.modifiers and not excluded and not cls.attribute("NonController")

    def is_controller(self, cls: CsClass) -> bool:
        """A controller by name, attribute or base class, whose plain public methods are actions
        reached by conventional routes. (Any class with routing attributes on its methods, such
        as an Ardalis endpoint, still has those routes.)"""
        lineage = self.lineage(cls)
        marked = any(c.attribute(*CONTROLLER_MARKERS) for c in lineage)
        based = any(b in CONTROLLER_BASES for c in lineage for b in c.bases)
        return cls.name.endswith("Controller") or marked or based

    def actions(self, cls: CsClass) -> Iterator[Action]:
        """Public instance methods, the nearest declaration winning when a name repeats."""
        seen: set[str] = set()
        for owner in self.lineage(cls):
            for action in _public_methods(owner):
                if action.name not in seen:
                    seen.add(action.name)
                    yield action

    def inherited(self, cls: CsClass, name: str) -> tuple[SourceFile, list[Attribute]]:
        """The nearest class's attributes called `name` (`[Route]`, `[Area]` are inherited)."""
        owner = next((c for c in self.lineage(cls) if c.attribute(name)), cls)
        return owner.file, owner.attribute(name)


def _public_methods(cls: CsClass) -> Iterator[Action]:
    body = cls.node.child_by_field_name("body")
    for member in body.named_children if body is not None else ():
        if member.type != "method_declaration":
            continue
        found = modifiers(cls.file, member)
        declared = tuple(attributes(cls.file, member))
        if (
            "public" in found
            and "static" not in found
            and not any(a.name == "NonAction" for a in declared)
        ):
            yield Action(cls.file, member, declared_name(cls.file, member), declared)


def template_argument(attribute: Attribute, key: str = "template") -> Node | None:
    """The template node an attribute gives, positionally or by name."""
    return attribute.named(key) or next(iter(attribute.positional()), None)


def action_templates(action: Action, constants: Constants) -> list[ActionTemplate]:
    """The routes an action's attributes declare; none for an action without routing attributes.

    Verb attributes with a template are routes of their own; those without one give the
    methods of the action's `[Route]` templates, or of the controller's template when the
    action has none.
    """
    declared: list[ActionTemplate] = []
    loose: list[ActionTemplate] = []
    for attribute in action.attributes:
        methods, node = _verbs(action.file, attribute)
        if not methods:
            continue
        if node is None:
            loose.append(ActionTemplate(methods, None, attribute.line))
        elif (template := constants.evaluate(action.file, node)) is not None:
            declared.append(ActionTemplate(methods, template, attribute.line))
    loose_methods = tuple(m for t in loose for m in t.methods) or (ANY_METHOD,)
    for attribute in (a for a in action.attributes if a.name == "Route"):
        template = constants.evaluate(action.file, template_argument(attribute))
        if template is not None:
            declared.append(ActionTemplate(loose_methods, template, attribute.line))
    if not declared and loose:
        return [ActionTemplate(loose_methods, None, loose[0].line)]
    return declared


def _verbs(file: SourceFile, attribute: Attribute) -> tuple[tuple[str, ...], Node | None]:
    """`[HttpGet("x")]` → (GET,), "x"; `[AcceptVerbs("GET", "POST", Route = "x")]` likewise."""
    if attribute.name in VERB_ATTRIBUTES:
        return (VERB_ATTRIBUTES[attribute.name],), template_argument(attribute)
    if attribute.name == "AcceptVerbs":
        verbs = (file.text(n).strip('"').upper() for n in attribute.positional())
        return tuple(v for v in verbs if v.isalpha()), attribute.named("Route")
    return (), None
