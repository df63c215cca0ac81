"""The declarations, imports and exports of JS/TS files, indexed once per scope and per file.

`Modules` says where a name is declared (a `const`, a destructured `require`, an `import`, a
function or class), what a file exports under a name (ESM and CommonJS alike, re-exports
followed), and which file an import specifier names, including `tsconfig.json` path aliases
such as `@/routes/users`. It answers with `Binding`s; `js_values.Values` turns them into values.
Shared by the JS discoverers; this module declares no framework of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tree_sitter import Node

from apiscope.analysis.discovery.frameworks.js_tsconfig import read_aliases
from apiscope.analysis.discovery.js_ast import named, parameter_slots, resolve_specifier
from apiscope.analysis.discovery.project import Project, SourceFile

_SCOPES = frozenset({"program", "statement_block", "switch_case", "switch_default"})
_DECLARATIONS = frozenset(
    {"function_declaration", "generator_function_declaration", "class_declaration",
     "abstract_class_declaration", "class"}
)  # fmt: skip


@dataclass(frozen=True)
class Binding:
    """Where a name gets its value. `kind` is `value` (an expression), `declaration` (a function
    or class), `require`, `import *`, `import default` or `import <name>` (`node` is then the
    module specifier); `members` are then read off that value (`const { Router } = …`)."""

    kind: str
    path: str
    node: Node
    members: tuple[str, ...] = ()


@dataclass
class _Exports:
    named: dict[str, Binding] = field(default_factory=dict)
    commonjs: Binding | None = None
    stars: list[Node] = field(default_factory=list)


class Modules:
    """Declarations and exports of one project's JS/TS files."""

    def __init__(self, project: Project) -> None:
        self.files = {f.path: f for f in project.files}
        self._aliases = read_aliases(project.root, self.files)
        self._scopes: dict[Node, dict[str, Binding]] = {}
        self._parameters: dict[Node, dict[str, tuple[int, str | None]]] = {}
        self._exports: dict[str, _Exports] = {}

    def file(self, path: str) -> SourceFile:
        """A project file by its relative path."""
        return self.files[path]

    def resolve(self, importer: str, specifier: str) -> str | None:
        """The project file an import names, or None for a package."""
        found = resolve_specifier(self.files, importer, specifier)
        aliases = iter(() if found or specifier.startswith(".") else self._aliases)
        while found is None and (alias := next(aliases, None)) is not None:
            found = alias.resolve(self.files, importer, specifier)
        return found

    def parameter(self, function: Node, name: str) -> tuple[int, str | None] | None:
        """Where a function's parameters bind `name`: (position, key if destructured)."""
        if function not in self._parameters:
            self._parameters[function] = parameter_slots(function)
        return self._parameters[function].get(name)

    def declared(self, path: str, scope: Node, name: str) -> Binding | None:
        """The binding `name` has in this block (not in the blocks around it)."""
        if scope.type not in _SCOPES:
            return None
        if scope not in self._scopes:
            self._scopes[scope] = _scope_bindings(path, scope)
        return self._scopes[scope].get(name)

    def export(self, path: str, name: str, seen: frozenset[str] = frozenset()) -> Binding | None:
        """The binding a file exports as `name`, through `module.exports` and re-exports."""
        exports = self._file_exports(path)
        if name in exports.named:
            return exports.named[name]
        if exports.commonjs is not None and name != "default":
            cjs = exports.commonjs
            return Binding(cjs.kind, cjs.path, cjs.node, (*cjs.members, name))
        for star in exports.stars:
            target = self.resolve(path, self.file(path).text(star)[1:-1])
            if target is not None and target not in seen:
                found = self.export(target, name, seen | {path})
                if found is not None:
                    return found
        return None

    def commonjs_value(self, path: str) -> Binding | None:
        """The binding of `module.exports = …` (or TypeScript's `export = …`)."""
        return self._file_exports(path).commonjs

    def _file_exports(self, path: str) -> _Exports:
        if path not in self._exports:
            exports = _Exports()
            program = self.file(path).root
            for statement in named(program):
                if statement.type == "export_statement":
                    self._esm_export(path, statement, exports)
                elif statement.type == "expression_statement":
                    _commonjs_export(path, statement, exports)
            self._exports[path] = exports
        return self._exports[path]

    def _esm_export(self, path: str, statement: Node, exports: _Exports) -> None:
        """`export default X`, `export const a`, `export { a as b }`, `export * from 's'`."""
        value = statement.child_by_field_name("value")
        declaration = statement.child_by_field_name("declaration")
        clause = next((c for c in named(statement) if c.type == "export_clause"), None)
        text = statement.text or b""
        if text.startswith(b"export =") and named(statement):
            exports.commonjs = Binding("value", path, named(statement)[0])
        elif value is not None:
            kind = "declaration" if value.type in _DECLARATIONS else "value"
            exports.named["default"] = Binding(kind, path, value)
        elif declaration is not None:
            bindings = _declaration_bindings(path, declaration)
            if text.startswith(b"export default"):
                bindings = {"default": Binding("declaration", path, declaration)}
            exports.named.update(bindings)
        elif clause is not None:
            exports.named.update(self._clause_exports(path, clause, statement))
        else:
            _star_export(path, statement, exports)

    def _clause_exports(self, path: str, clause: Node, statement: Node) -> dict[str, Binding]:
        """`export { a, b as c }` of local names, or of another module's with `from`."""
        source = statement.child_by_field_name("source")
        found: dict[str, Binding] = {}
        for spec in named(clause):
            local, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
            if local is None:
                continue
            binding = (
                Binding(f"import {_text(local)}", path, source)
                if source is not None
                else self.declared(path, self.file(path).root, _text(local))
            )
            if binding is not None:
                found[_text(alias or local)] = binding
        return found


def _star_export(path: str, statement: Node, exports: _Exports) -> None:
    """`export * from 's'` (searched by name later) and `export * as ns from 's'`."""
    source = statement.child_by_field_name("source")
    namespace = next((c for c in named(statement) if c.type == "namespace_export"), None)
    if source is None:
        return
    if namespace is None:
        exports.stars.append(source)
    elif named(namespace):
        exports.named[_text(named(namespace)[0])] = Binding("import *", path, source)


def _commonjs_export(path: str, statement: Node, exports: _Exports) -> None:
    """`module.exports = X`, `exports = module.exports = X`, `exports.name = X`."""
    assignment = next(iter(named(statement)), None)
    while assignment is not None and assignment.type == "assignment_expression":
        left, right = (
            assignment.child_by_field_name("left"),
            assignment.child_by_field_name("right"),
        )
        if left is None or right is None:
            return
        value = right
        while value.type == "assignment_expression":  # the value of a chain is its last right
            value = value.child_by_field_name("right") or value
        target = _text(left).replace(" ", "")
        if target == "module.exports":
            exports.commonjs = Binding("value", path, value)
        elif target.startswith(("module.exports.", "exports.")) and target.count(".") <= 2:
            exports.named[target.rsplit(".", 1)[1]] = Binding("value", path, value)
        assignment = right


def _scope_bindings(path: str, scope: Node) -> dict[str, Binding]:
    """Every name declared directly in a block, the first declaration winning."""
    found: dict[str, Binding] = {}
    for statement in named(scope):
        if statement.type == "export_statement":
            statement = statement.child_by_field_name("declaration") or statement
        if statement.type == "import_statement":
            bindings = _import_bindings(path, statement)
        else:
            bindings = _declaration_bindings(path, statement)
        for name, binding in bindings.items():
            found.setdefault(name, binding)
    return found


def _declaration_bindings(path: str, statement: Node) -> dict[str, Binding]:
    """`const a = …, { b } = …`, `function f() {}`, `class C {}` (also `enum E {}`)."""
    if statement.type in _DECLARATIONS or statement.type == "enum_declaration":
        name = statement.child_by_field_name("name")
        return {} if name is None else {_text(name): Binding("declaration", path, statement)}
    found: dict[str, Binding] = {}
    if statement.type in ("lexical_declaration", "variable_declaration"):
        for declarator in (d for d in named(statement) if d.type == "variable_declarator"):
            name, value = (
                declarator.child_by_field_name("name"),
                declarator.child_by_field_name("value"),
            )
            if name is not None and value is not None:
                found.update(_pattern_bindings(path, name, value, ()))
    return found


def _pattern_bindings(
    path: str, pattern: Node, value: Node, members: tuple[str, ...]
) -> dict[str, Binding]:
    """Names a declaration binds, destructured object patterns included."""
    if pattern.type == "identifier":
        return {_text(pattern): Binding("value", path, value, members)}
    found: dict[str, Binding] = {}
    for part in named(pattern) if pattern.type == "object_pattern" else ():
        if part.type == "shorthand_property_identifier_pattern":
            found[_text(part)] = Binding("value", path, value, (*members, _text(part)))
        key, inner = part.child_by_field_name("key"), part.child_by_field_name("value")
        if part.type == "pair_pattern" and key is not None and inner is not None:
            found.update(_pattern_bindings(path, inner, value, (*members, _text(key).strip("'\""))))
    return found


def _import_bindings(path: str, statement: Node) -> dict[str, Binding]:
    """`import a, { b as c } from 's'`, `import * as n from 's'`, `import x = require('s')`."""
    found: dict[str, Binding] = {}
    source = statement.child_by_field_name("source")
    for clause in named(statement):
        if clause.type == "import_require_clause":
            local, required = named(clause)[0], clause.child_by_field_name("source")
            if required is not None:
                found[_text(local)] = Binding("require", path, required)
        elif clause.type == "import_clause" and source is not None:
            for part in named(clause):
                found.update(_import_clause_part(path, part, source))
    return found


def _import_clause_part(path: str, part: Node, source: Node) -> dict[str, Binding]:
    if part.type == "identifier":
        return {_text(part): Binding("import default", path, source)}
    if part.type == "namespace_import" and named(part):
        return {_text(named(part)[0]): Binding("import *", path, source)}
    found: dict[str, Binding] = {}
    for spec in named(part) if part.type == "named_imports" else ():
        name, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
        if name is not None:
            found[_text(alias or name)] = Binding(f"import {_text(name)}", path, source)
    return found


def _text(node: Node) -> str:
    return (node.text or b"").decode(errors="replace")
