"""JS/TS names followed to project functions with discovery's `Values` (scopes, imports,
exports, `require`): a handler passed by name to a router, and the calls a function makes.

Beyond what `Values` knows: `this.method()` in a class, NestJS-style injected services
(`this.usersService.findAll()` through the constructor parameter's type), and functions wrapped
at definition (`const list = catchAsync(async (req, res) => …)`), which `Values` would follow
into the wrapper's returned closure.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from apiscope.analysis.analysers.context.definitions import Definition, Definitions
from apiscope.analysis.analysers.context.syntax import (
    SYNTAX,
    definition_name,
    line_of,
    nodes_of,
    owner_name,
    text,
)
from apiscope.analysis.discovery.frameworks.js_value_types import Ref
from apiscope.analysis.discovery.frameworks.js_values import Values
from apiscope.analysis.discovery.js_ast import (
    CLASS_TYPES,
    FUNCTION_TYPES,
    enclosing,
    named,
    unwrap,
)
from apiscope.analysis.discovery.project import Project, SourceFile

_REFERENCES = frozenset({"identifier", "member_expression"})
_FIELDS = frozenset({"public_field_definition", "field_definition"})


class JsResolver:
    """Handlers and callees of JS/TS functions in one project."""

    def __init__(self, project: Project, definitions: Definitions) -> None:
        self.values = Values(project)
        self.definitions = definitions

    def handler(self, file: SourceFile, line: int, handler: str) -> Definition | None:
        """The function a route declaration on `line` names (`posts.list`, `this.show`)."""
        calls = [c for c in nodes_of(file.root, file.language, SYNTAX[file.language].calls)]
        declaring = [c for c in calls if line_of(c) <= line <= c.end_point.row + 1]
        for call in sorted(declaring, key=lambda c: c.end_byte - c.start_byte):
            for node in nodes_of(call, file.language, _REFERENCES):
                if "".join(text(node).split()) == handler:
                    found = self._function(file, node)
                    if found is not None:
                        return found
        return None

    def callees(self, caller: Definition) -> Iterator[tuple[int, Definition]]:
        """The project functions `caller` calls, with the line of each call."""
        for call in nodes_of(caller.node, caller.file.language, frozenset({"call_expression"})):
            callee = call.child_by_field_name("function")
            target = self._target(caller.file, unwrap(callee)) if callee is not None else None
            if target is not None:
                yield line_of(call), target

    def _target(self, file: SourceFile, callee: Node) -> Definition | None:
        if callee.type == "identifier":
            return self._function(file, callee)
        if callee.type != "member_expression":
            return None
        receiver = unwrap(callee.child_by_field_name("object") or callee)
        name = text(callee.child_by_field_name("property"))
        if receiver.type == "this":
            return _class_method(file, enclosing(callee, CLASS_TYPES), name)
        if receiver.type == "member_expression" and text(receiver).startswith("this."):
            injected = self._injected_class(file, receiver)
            if injected is not None:
                return _class_method(*injected, name)
        return self._function(file, callee) or self.definitions.unique(file.language, name)

    def _function(self, file: SourceFile, node: Node) -> Definition | None:
        """The project function an expression stands for; a wrapper's closure does not count."""
        value = self.values.value(file.path, node)
        if not isinstance(value, Ref) or value.node.type not in FUNCTION_TYPES:
            return None
        if _returned_closure(value.node):
            name = text(node).rsplit(".", 1)[-1]
            return self.definitions.unique(file.language, name) or _named_in(
                self.definitions, file.language, name
            )
        return _definition(self.values.modules.file(value.path), value.node)

    def _injected_class(self, file: SourceFile, member: Node) -> tuple[SourceFile, Node] | None:
        """`this.usersService` → the class written as the type of the constructor parameter
        or field `usersService` (`constructor(private usersService: UsersService)`)."""
        cls = enclosing(member, CLASS_TYPES)
        field = text(member.child_by_field_name("property"))
        written = _declared_type(cls, field) if cls is not None else None
        value = self.values.type_value(file.path, written) if written is not None else None
        if isinstance(value, Ref) and value.node.type in CLASS_TYPES:
            return self.values.modules.file(value.path), value.node
        return None


def _class_method(file: SourceFile, cls: Node | None, name: str) -> Definition | None:
    """A method (or arrow-function field) of a class body."""
    for member in named(cls.child_by_field_name("body")) if cls is not None else []:
        if member.type == "method_definition" and text(member.child_by_field_name("name")) == name:
            return _definition(file, member)
        value = member.child_by_field_name("value") if member.type in _FIELDS else None
        if value is not None and value.type in FUNCTION_TYPES and definition_name(value) == name:
            return _definition(file, value)
    return None


def _declared_type(cls: Node, field: str) -> Node | None:
    """The type annotation on a constructor parameter property or a field named `field`."""
    for member in named(cls.child_by_field_name("body")):
        if member.type in _FIELDS and text(member.child_by_field_name("name")) == field:
            return _annotation(member)
        if member.type == "method_definition" and text(member.child_by_field_name("name")) == (
            "constructor"
        ):
            for parameter in named(member.child_by_field_name("parameters")):
                pattern = parameter.child_by_field_name("pattern")
                if pattern is not None and text(pattern) == field:
                    return _annotation(parameter)
    return None


def _annotation(node: Node) -> Node | None:
    annotation = node.child_by_field_name("type")
    return next(iter(named(annotation)), None) if annotation is not None else None


def _returned_closure(function: Node) -> bool:
    """A function another function returns: what `catchAsync(fn)` gives back, not `fn`."""
    parent = function.parent
    if parent is None:
        return False
    if parent.type == "return_statement":
        return True
    return parent.type in FUNCTION_TYPES and parent.child_by_field_name("body") == function


def _named_in(definitions: Definitions, language: str, name: str) -> Definition | None:
    found = definitions.named(language, name)
    return found[0] if len(found) == 1 else None


def _definition(file: SourceFile, node: Node) -> Definition:
    return Definition(file, node, definition_name(node), owner_name(node, file.language))
