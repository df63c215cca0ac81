"""Python names followed to project functions, with discovery's `PythonIndex` (imports,
module bindings, classes): a view named in `urls.py`, and the calls a function makes.

`self.helper()` is looked up in the class and its project base classes; `crud.user.get()` through
what `crud.user` is an instance of; a method on an object nothing resolves is taken only when
its name is distinctive and defined once in the project.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from apiscope.analysis.analysers.context.definitions import Definition, Definitions
from apiscope.analysis.analysers.context.syntax import definition_name, line_of, owner_name
from apiscope.analysis.discovery import python_ast as ast
from apiscope.analysis.discovery.frameworks.python_symbols import PythonIndex, Symbol
from apiscope.analysis.discovery.project import Project, SourceFile

_MAX_BASES = 6
"""Inheritance chains deeper than this are followed no further."""


class PythonResolver:
    """Handlers and callees of Python functions in one project."""

    def __init__(self, project: Project, definitions: Definitions) -> None:
        self.index = PythonIndex(project)
        self.definitions = definitions

    def handler(self, file: SourceFile, line: int, handler: str) -> Definition | None:
        """The function a route declaration on `line` names (`views.profile`,
        `UserList.as_view()` for `UserList.get`)."""
        owner, _, name = handler.rpartition(".")
        for node in _references(file, line):
            written = file.text(node)
            if written == handler or written.endswith("." + handler):
                found = self.index.function_named(file, node)
                if found is not None:
                    return _definition(*found)
            if owner and (written == owner or written.endswith("." + owner)):
                cls = self.index.class_named(file, node)
                if cls is not None:
                    return self.method(cls[0], cls[1], name)
        return None

    def class_method(self, owner: str, name: str) -> Definition | None:
        """`ProductAPI.get` for a class declared once in the project, inherited methods too."""
        if not owner:
            return None
        classes = [
            (self.index.file(path), binding)
            for path in self.index.files
            if isinstance(binding := self.index.bindings(path).get(owner), Node)
            and binding.type == "class_definition"
        ]
        return self.method(*classes[0], name) if len(classes) == 1 else None

    def callees(self, caller: Definition) -> Iterator[tuple[int, Definition]]:
        """The project functions `caller` calls, with the line of each call."""
        for call in ast.descendants(caller.node, "call"):
            target = self._target(caller, call)
            if target is not None:
                yield line_of(call), target

    def method(self, file: SourceFile, cls: Node, name: str, depth: int = 0) -> Definition | None:
        """A method of a project class, inherited ones included."""
        own = ast.class_functions(file, cls).get(name)
        if own is not None:
            return _definition(file, own)
        for base in ast.class_bases(cls) if depth < _MAX_BASES else ():
            parent = self.index.class_named(file, base)
            found = self.method(*parent, name, depth + 1) if parent is not None else None
            if found is not None:
                return found
        return None

    def _target(self, caller: Definition, call: Node) -> Definition | None:
        function = call.child_by_field_name("function")
        if function is None:
            return None
        if function.type == "identifier":
            found = self.index.function_named(caller.file, function)
            # A bare name never calls a method: `list(qs)` in a view set is the builtin.
            if found is None or ast.enclosing_class(found[1]) is not None:
                return None
            return _definition(*found)
        if function.type == "attribute":
            return self._method_call(caller, function)
        return None

    def _method_call(self, caller: Definition, function: Node) -> Definition | None:
        receiver = function.child_by_field_name("object")
        name = ast.last_name(caller.file, function) or ""
        if receiver is None or not name:
            return None
        if caller.file.text(receiver) in ("self", "cls"):
            cls = ast.enclosing_class(caller.node)
            return self.method(caller.file, cls, name) if cls is not None else None
        found = self.index.function_named(caller.file, function)
        if found is not None:
            return _definition(*found)
        target = self.index.resolve(caller.file, receiver)
        instance_of = self.index.class_of(target) if isinstance(target, Symbol) else None
        if instance_of is not None:
            return self.method(*instance_of, name)
        return self.definitions.unique("python", name)


def _references(file: SourceFile, line: int) -> Iterator[Node]:
    """Names and attributes in the declaration that starts on `line`."""
    statements = [c for c in ast.descendants(file.root, "call") if line_of(c) == line]
    if not statements:
        return iter(())
    return ast.descendants(statements[0], "identifier", "attribute")


def _definition(file: SourceFile, node: Node) -> Definition:
    return Definition(file, node, definition_name(node), owner_name(node, "python"))
