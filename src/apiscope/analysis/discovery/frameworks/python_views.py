"""Class-based views read as a whole hierarchy: which methods a view class defines or inherits
from project base classes, the names of all its ancestors (library ones included, so a
framework's method table can be consulted), and class attributes such as `lookup_field`.

Shared by the `python_*` discoverers (Flask `MethodView`, Django and DRF views, Starlette
`HTTPEndpoint`, aiohttp `web.View`); it declares no routes itself, hence the empty
`DISCOVERERS`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tree_sitter import Node

from apiscope.analysis.discovery import python_ast as ast
from apiscope.analysis.discovery.frameworks.python_symbols import PythonIndex
from apiscope.analysis.discovery.project import SourceFile

_MAX_ANCESTORS = 30


@dataclass
class ClassView:
    """A view class with what its project ancestors contribute, nearest first."""

    name: str
    functions: dict[str, tuple[SourceFile, Node]] = field(default_factory=dict)
    """Every method defined in the class or a project ancestor (the nearest definition wins),
    with the file that defines it."""
    ancestors: list[str] = field(default_factory=list)
    """Last names of all base classes, project and library, nearest first."""
    classes: list[tuple[SourceFile, Node]] = field(default_factory=list)
    """The class and its project ancestors' definitions, nearest first."""

    def http_methods(self) -> list[str]:
        """The HTTP methods it handles with a method of the same name, in conventional order."""
        return [m for m in ast.HTTP_METHODS if m in self.functions]

    def attribute(self, index: PythonIndex, name: str) -> str | None:
        """A string class attribute, looked up the way Python would (nearest class first)."""
        for file, definition in self.classes:
            value = ast.class_attribute(file, definition, name)
            if value is not None:
                return index.string(file, value)
        return None

    def attribute_strings(self, index: PythonIndex, name: str) -> list[str] | None:
        """A list-of-strings class attribute (`http_method_names = ["get"]`), or None."""
        for file, definition in self.classes:
            value = ast.class_attribute(file, definition, name)
            if value is not None:
                return ast.strings(file, value, index.string_resolver(file))
        return None


def class_view(index: PythonIndex, file: SourceFile, node: Node | None) -> ClassView | None:
    """The view for an expression naming a class (`views.ItemView`); None when the class is
    not in the project, or the expression names no class at all."""
    if node is not None and node.type == "class_definition":
        found: tuple[SourceFile, Node] | None = (file, node)
    else:
        found = index.class_named(file, node)
    if found is None:
        return None
    view = ClassView(ast.definition_name(found[0], found[1]))
    _gather(index, found, view, set())
    return view


def _gather(
    index: PythonIndex, found: tuple[SourceFile, Node], view: ClassView, seen: set[tuple[str, int]]
) -> None:
    """Depth-first over the bases in declaration order: a fair approximation of the MRO."""
    file, definition = found
    key = (file.path, definition.start_byte)
    if key in seen or len(seen) > _MAX_ANCESTORS:
        return
    seen.add(key)
    view.classes.append(found)
    for name, function in ast.class_functions(file, definition).items():
        view.functions.setdefault(name, (file, function))
    for base in ast.class_bases(definition):
        view.ancestors.append(ast.last_name(file, base) or "")
        parent = index.class_named(file, base)
        if parent is not None:
            _gather(index, parent, view, seen)
