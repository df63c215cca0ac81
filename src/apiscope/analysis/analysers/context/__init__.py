"""The code an analyser reads for one route: its handler, then the project functions it calls,
breadth-first a few levels deep, each once, up to a bound.

Python and JS/TS calls are followed through imports (discovery's resolvers); the other languages
by name, where the name leaves no doubt. Every unit carries its exact lines and where the other
units call it, so rules can say "called once per item at orders.py:42".
"""

from __future__ import annotations

import weakref
from collections import deque
from collections.abc import Iterator

from tree_sitter import Node

from apiscope.analysis.analysers.base import CodeContext, CodeUnit
from apiscope.analysis.analysers.context.definitions import Definition, Definitions, family
from apiscope.analysis.analysers.context.generic_calls import GenericResolver
from apiscope.analysis.analysers.context.handlers import HandlerFinder
from apiscope.analysis.analysers.context.js_calls import JsResolver
from apiscope.analysis.analysers.context.python_calls import PythonResolver
from apiscope.analysis.analysers.context.syntax import end_line_of, line_of
from apiscope.analysis.discovery.project import Project
from apiscope.analysis.routes import Route

__all__ = ["ContextBuilder", "build_context"]

_Key = tuple[str, int, int]
"""A function by file and byte span."""


class ContextBuilder:
    """Builds code contexts for the routes of one project, sharing its indexes across routes."""

    def __init__(self, project: Project) -> None:
        self.definitions = Definitions(project)
        self.python = PythonResolver(project, self.definitions)
        self.js = JsResolver(project, self.definitions)
        self.generic = GenericResolver(self.definitions)
        self.handlers = HandlerFinder(project, self.definitions, self.python, self.js)

    def build(self, route: Route, *, depth: int = 3, max_units: int = 20) -> CodeContext:
        """The handler of `route` and what it calls; empty when the handler is not found."""
        handler = self.handlers.find(route)
        if handler is None or max_units < 1:
            return CodeContext()
        reached: dict[_Key, tuple[Definition, int]] = {_key(handler): (handler, 0)}
        calls: dict[_Key, list[tuple[str, int]]] = {}
        queue = deque([(handler, 0)])
        while queue:
            caller, level = queue.popleft()
            if level >= depth:
                continue
            for line, callee in self.callees(caller):
                key = _key(callee)
                if key not in reached and len(reached) < max_units and not _inside(callee, reached):
                    reached[key] = (callee, level + 1)
                    queue.append((callee, level + 1))
                if key in reached and key != _key(caller):
                    calls.setdefault(key, []).append((caller.file.path, line))
        return CodeContext(
            tuple(_unit(d, level, calls.get(key, [])) for key, (d, level) in reached.items())
        )

    def callees(self, caller: Definition) -> Iterator[tuple[int, Definition]]:
        """The project functions a function calls, by the resolver of its language."""
        language = family(caller.file.language)
        if language == "python":
            return self.python.callees(caller)
        if language == "javascript":
            return self.js.callees(caller)
        return self.generic.callees(caller)


_builders: dict[int, ContextBuilder] = {}


def build_context(
    project: Project, route: Route, *, depth: int = 3, max_units: int = 20
) -> CodeContext:
    """The handler of `route` and the functions it reaches (see `ContextBuilder.build`).

    The project's indexes are kept while the project lives, so one call per route of the same
    project does not index it again."""
    key = id(project)
    if key not in _builders:
        _builders[key] = ContextBuilder(project)
        weakref.finalize(project, _builders.pop, key, None)
    return _builders[key].build(route, depth=depth, max_units=max_units)


def _key(definition: Definition) -> _Key:
    return definition.file.path, definition.node.start_byte, definition.node.end_byte


def _inside(candidate: Definition, reached: dict[_Key, tuple[Definition, int]]) -> bool:
    """A function nested in one already taken is already in the context, as part of it."""
    path, start, end = _key(candidate)
    return any(p == path and s <= start and end <= e for p, s, e in reached)


def _unit(definition: Definition, depth: int, called_from: list[tuple[str, int]]) -> CodeUnit:
    file, node = definition.file, definition.node
    first = line_of(_with_decorators(node))
    last = end_line_of(node)
    lines = file.source.split(b"\n")[first - 1 : last]
    return CodeUnit(
        file=file.path,
        name=definition.qualified,
        language=file.language,
        line_start=first,
        line_end=last,
        source=b"\n".join(lines).decode("utf-8", "replace"),
        depth=depth,
        called_from=tuple(dict.fromkeys(called_from)),
    )


def _with_decorators(node: Node) -> Node:
    """Decorators and annotations belong with the function they declare."""
    parent = node.parent
    if parent is not None and parent.type == "decorated_definition":
        return parent
    first = node
    sibling = node.prev_named_sibling
    while sibling is not None and sibling.type == "decorator":
        first, sibling = sibling, sibling.prev_named_sibling
    return first
