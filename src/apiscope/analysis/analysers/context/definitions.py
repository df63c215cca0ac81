"""Every named function and method of a project, found by name: the fallback when a handler or a
call cannot be followed through imports, and the whole story for languages without a resolver.

Test sources are left out: a handler never lives there, and a test double named like a service
method would otherwise be taken for it.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass

from tree_sitter import Node

from apiscope.analysis.analysers.context.syntax import (
    SYNTAX,
    definition_name,
    nodes_of,
    owner_name,
)
from apiscope.analysis.discovery import csharp_ast, js_ast, jvm_ast, php_ast, ruby_ast, rust_ast
from apiscope.analysis.discovery.project import Project, SourceFile
from apiscope.analysis.discovery.python_ast import is_test_file

_TEST_PATHS: dict[str, Callable[[str], bool]] = {
    "python": is_test_file,
    "javascript": js_ast.is_test_path,
    "typescript": js_ast.is_test_path,
    "tsx": js_ast.is_test_path,
    "java": jvm_ast.is_test_path,
    "kotlin": jvm_ast.is_test_path,
    "go": lambda path: path.endswith("_test.go"),
    "ruby": ruby_ast.is_test_path,
    "php": php_ast.is_test_path,
    "csharp": csharp_ast.is_test_path,
    "rust": rust_ast.is_test_path,
}


def family(language: str) -> str:
    """Languages whose files import one another: TypeScript calls into JavaScript and back."""
    return "javascript" if language in js_ast.JS_LANGUAGES else language


def distinctive(name: str) -> bool:
    """A name of several words (`get_orders`, `findActiveUsers`): unlikely to be a library
    method's too, so a call by that name may be taken for the project's only definition."""
    inner = name.strip("_")
    return "_" in inner or any(c.isupper() for c in inner[1:])


def is_test_source(file: SourceFile) -> bool:
    """Whether a file is test code in its language's conventions."""
    check = _TEST_PATHS.get(file.language)
    return check is not None and check(file.path)


@dataclass(frozen=True, slots=True)
class Definition:
    """A named function or method: where it is, and the class or type it belongs to."""

    file: SourceFile
    node: Node
    name: str
    owner: str

    @property
    def qualified(self) -> str:
        """`Owner.name`, or the bare name of a free function."""
        return f"{self.owner}.{self.name}" if self.owner else self.name


class Definitions:
    """Named functions of one project, indexed per language family on first use."""

    def __init__(self, project: Project) -> None:
        self.files = project.files  # not the project: a cache of builders must not keep it alive
        self._files: dict[str, list[Definition]] = {}
        self._names: dict[str, dict[str, list[Definition]]] = {}

    def in_file(self, file: SourceFile) -> list[Definition]:
        """The named functions of one file, in source order."""
        if file.path not in self._files:
            syntax = SYNTAX.get(file.language)
            nodes = nodes_of(file.root, file.language, syntax.functions) if syntax else []
            found = (_definition(file, node) for node in nodes)
            self._files[file.path] = [d for d in found if d is not None]
        return self._files[file.path]

    def named(self, language: str, name: str) -> list[Definition]:
        """Definitions of `name` in the language's family, outside tests."""
        key = family(language)
        if key not in self._names:
            index: dict[str, list[Definition]] = {}
            for file in self.files:
                if family(file.language) == key and not is_test_source(file):
                    for definition in self.in_file(file):
                        index.setdefault(definition.name, []).append(definition)
            self._names[key] = index
        return self._names[key].get(name, [])

    def unique(self, language: str, name: str) -> Definition | None:
        """The one definition of a distinctive name, for calls on objects nothing resolves."""
        if not distinctive(name):
            return None
        found = [d for d in self.named(language, name) if has_body(d.node)]
        return found[0] if len(found) == 1 else None

    def best(self, language: str, name: str, owner: str, near: str) -> Definition | None:
        """The definition of `owner.name` (or `name`) most likely meant from file `near`.

        An owner that matches wins; then the nearest file. Two equally good candidates in
        different files are ambiguous: None rather than a guess."""
        candidates = self.named(language, name)
        if owner:
            owned = [d for d in candidates if _owner_matches(d, owner)]
            packaged = [d for d in candidates if not d.owner and _in_package(d, owner)]
            # `books.List`: a variable (lower case) may hold any type; `UserList.get` names one
            candidates = owned or packaged or (candidates if owner[:1].islower() else [])
        if not candidates:
            return None
        ranked = sorted(candidates, key=lambda d: (-_closeness(d.file.path, near), d.file.path))
        top = ranked[0]
        if len(ranked) > 1 and _closeness(ranked[1].file.path, near) == _closeness(
            top.file.path, near
        ):
            return top if ranked[1].file.path == top.file.path else None
        return top


def has_body(node: Node) -> bool:
    """Interface and abstract methods declare a name without code to read."""
    return node.type not in _MAYBE_ABSTRACT or node.child_by_field_name("body") is not None


_MAYBE_ABSTRACT = frozenset({"method_declaration"})  # Java, C#, PHP interfaces


def _definition(file: SourceFile, node: Node) -> Definition | None:
    name = definition_name(node)
    if not name or not name.replace("_", "").replace("$", "").isalnum():
        return None
    return Definition(file, node, name, owner_name(node, file.language))


def _owner_matches(definition: Definition, owner: str) -> bool:
    """`UsersController` owns `show`; `s` or `handler` (a Go receiver variable) says little,
    so a receiver type that starts like it, ignoring case, is taken too."""
    mine = definition.owner.lower()
    wanted = owner.lower()
    return bool(mine) and (mine == wanted or (len(wanted) <= 3 and mine.startswith(wanted)))


def _in_package(definition: Definition, qualifier: str) -> bool:
    """`books.List` in Go: a free function in a folder (package) named `books`."""
    return posixpath.basename(posixpath.dirname(definition.file.path)) == qualifier


def _closeness(path: str, near: str) -> int:
    """How many leading folders two paths share; the same file counts most."""
    if path == near:
        return 1_000
    shared = 0
    for a, b in zip(path.split("/")[:-1], near.split("/")[:-1], strict=False):
        if a != b:
            break
        shared += 1
    return shared
