"""What a name in a Python module refers to, across files: imports resolved to project files
(`from app.api import users` → `app/api/users.py`), module-level bindings, string constants
(`prefix=settings.API_V1_STR`) and class and function definitions.

Shared by the `python_*` discoverers; it declares no routes itself, hence the empty
`DISCOVERERS`. Source roots are not configured anywhere, so an absolute module name matches any
file whose path ends with it, the one nearest the importing file winning.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from tree_sitter import Node

from apiscope.analysis.discovery import python_ast as ast
from apiscope.analysis.discovery.project import Project, SourceFile

_MAX_DEPTH = 12
"""Re-exports and constant chains deeper than this are cycles or not worth following."""


@dataclass(frozen=True, slots=True)
class Symbol:
    """A name bound in one file (module level or inside a function of it)."""

    file: str
    name: str


@dataclass(frozen=True, slots=True)
class ModuleRef:
    """A whole module, as `import app.api.users` or `from app.api import users` bind it."""

    file: str


@dataclass(frozen=True, slots=True)
class _Import:
    module: str
    """Dotted, with leading dots for a relative import."""
    name: str | None
    """None when the module itself is bound."""


Target = Symbol | ModuleRef
Binding = _Import | Node


class PythonIndex:
    """Name resolution over a project's Python files, computed lazily and cached per file."""

    def __init__(self, project: Project) -> None:
        self.files = {f.path: f for f in project.of("python")}
        self._modules: dict[str, list[str]] = {}
        for path in self.files:
            key = path.removesuffix(".py").removesuffix("/__init__")
            self._modules.setdefault(key.rsplit("/", 1)[-1], []).append(path)
        self._bindings: dict[str, dict[str, Binding]] = {}
        self._by_name: dict[tuple[str, str], dict[str, Node]] = {}

    def file(self, path: str) -> SourceFile:
        """A Python file of the project by relative path."""
        return self.files[path]

    def module_file(self, importer: str, module: str) -> str | None:
        """The file a module name refers to from `importer` (relative names allowed)."""
        level = len(module) - len(module.lstrip("."))
        parts = [p for p in module.lstrip(".").split(".") if p]
        if level:
            base = PurePosixPath(importer).parent
            for _ in range(level - 1):
                base = base.parent
            return self._exact("/".join([*base.parts, *parts]))
        if not parts:
            return None
        candidates = [
            path
            for path in self._modules.get(parts[-1], [])
            if ("/" + path.removesuffix(".py").removesuffix("/__init__")).endswith(
                "/" + "/".join(parts)
            )
        ]
        return min(candidates, key=lambda p: (-_shared_prefix(p, importer), p), default=None)

    def _exact(self, stem: str) -> str | None:
        for path in (f"{stem}.py", f"{stem}/__init__.py"):
            if path in self.files:
                return path
        return None

    def bindings(self, path: str) -> dict[str, Binding]:
        """The module-level names of a file: imports and definitions (last one wins)."""
        if path not in self._bindings:
            file = self.files[path]
            found: dict[str, Binding] = {}
            _collect(file, file.root, found)
            # Application factories import blueprints inside `create_app()`: those count too,
            # unless a module-level binding has the name.
            for statement in ast.descendants(file.root, *_IMPORTS):
                for name, binding in _imports(file, statement).items():
                    found.setdefault(name, binding)
            self._bindings[path] = found
        return self._bindings[path]

    def resolve(self, file: SourceFile, node: Node | None, depth: int = 0) -> Target | None:
        """What an identifier or attribute chain in `file` refers to, imports followed."""
        if node is None or depth > _MAX_DEPTH:
            return None
        if node.type == "identifier":
            return self.resolve_name(file.path, file.text(node), depth)
        if node.type != "attribute":
            return None
        base = self.resolve(file, node.child_by_field_name("object"), depth + 1)
        attribute = ast.last_name(file, node)
        if not isinstance(base, ModuleRef) or not attribute:
            return None
        if attribute not in self.bindings(base.file) and base.file.endswith("__init__.py"):
            submodule = self._exact(str(PurePosixPath(base.file).parent / attribute))
            if submodule is not None:
                return ModuleRef(submodule)
        return self.resolve_name(base.file, attribute, depth + 1)

    def resolve_name(self, path: str, name: str, depth: int = 0) -> Target | None:
        """What `name` means in the file at `path`; unbound names are local to that file."""
        binding = self.bindings(path).get(name)
        if not isinstance(binding, _Import):
            return Symbol(path, name)
        if depth > _MAX_DEPTH:
            return None
        target = self.module_file(path, binding.module)
        if binding.name is None:
            return ModuleRef(target) if target is not None else None
        if target is not None and binding.name in self.bindings(target):
            return self.resolve_name(target, binding.name, depth + 1)
        separator = "" if binding.module.strip(".") == "" else "."
        submodule = self.module_file(path, binding.module + separator + binding.name)
        if submodule is not None:
            return ModuleRef(submodule)
        return Symbol(target, binding.name) if target is not None else None

    def assigned(self, symbol: Symbol) -> Node | None:
        """The value last assigned to a symbol's name in its file, at any nesting level."""
        binding = self.bindings(symbol.file).get(symbol.name)
        if isinstance(binding, Node) and binding.type not in _DEFINITIONS:
            return binding
        return self._names(symbol.file, "assignment").get(symbol.name)

    def definition(self, symbol: Symbol, kind: str) -> Node | None:
        """The `class_definition` or `function_definition` named by a symbol."""
        binding = self.bindings(symbol.file).get(symbol.name)
        if isinstance(binding, Node) and binding.type == kind:
            return binding
        return self._names(symbol.file, kind).get(symbol.name)

    def _names(self, path: str, kind: str) -> dict[str, Node]:
        """A file's assignments (name → last value) or definitions (name → first), any depth."""
        key = (path, kind)
        if key not in self._by_name:
            file, found = self.files[path], dict[str, Node]()
            for node in ast.descendants(file.root, kind):
                if kind != "assignment":
                    found.setdefault(ast.definition_name(file, node), node)
                    continue
                left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
                if left is not None and right is not None:
                    found[file.text(left)] = right
            self._by_name[key] = found
        return self._by_name[key]

    def string(self, file: SourceFile, node: Node | None, depth: int = 0) -> str | None:
        """A string expression's value, names and settings attributes followed across files."""
        if depth > _MAX_DEPTH:
            return None
        return ast.string_value(file, node, lambda n: self._name_value(file, n, depth + 1))

    def string_resolver(self, file: SourceFile) -> ast.Resolver:
        """`string` bound to a file, for literals that hold names (`methods=[GET]`)."""
        return lambda node: self.string(file, node)

    def _name_value(self, file: SourceFile, node: Node, depth: int) -> str | None:
        if node.type == "call":
            return self._default_value(file, node, depth)
        target = self.resolve(file, node)
        if isinstance(target, Symbol):
            value = self.assigned(target)
            return self.string(self.files[target.file], value, depth) if value else None
        if node.type == "attribute":
            return self._attribute_value(file, node, depth)
        return None

    def _default_value(self, file: SourceFile, call: Node, depth: int) -> str | None:
        """`os.getenv("API_PREFIX", "/api")` and `environ.get(...)`: the default is all we know."""
        _, method = ast.callee(file, call)
        positional, _ = ast.arguments(call)
        if method in ("getenv", "get") and len(positional) == 2:
            return self.string(file, positional[1], depth)
        return None

    def _attribute_value(self, file: SourceFile, node: Node, depth: int) -> str | None:
        """`settings.API_V1_STR`: the class-level default of the settings object's class."""
        owner = self.resolve(file, node.child_by_field_name("object"))
        attribute = ast.last_name(file, node)
        if not isinstance(owner, Symbol) or attribute is None:
            return None
        found = self.class_of(owner)
        if found is None:
            return None
        class_file, definition = found
        value = ast.class_attribute(class_file, definition, attribute)
        return self.string(class_file, value, depth) if value is not None else None

    def class_of(self, symbol: Symbol) -> tuple[SourceFile, Node] | None:
        """The class a symbol is, or is an instance of (`settings = Settings()`)."""
        definition = self.definition(symbol, "class_definition")
        if definition is not None:
            return self.files[symbol.file], definition
        value = self.assigned(symbol)
        if value is None or value.type != "call":
            return None
        return self.class_named(self.files[symbol.file], value.child_by_field_name("function"))

    def class_named(self, file: SourceFile, node: Node | None) -> tuple[SourceFile, Node] | None:
        """The project class an expression names, or None for a library class."""
        target = self.resolve(file, node)
        if not isinstance(target, Symbol) or target.file not in self.files:
            return None
        definition = self.definition(target, "class_definition")
        return (self.files[target.file], definition) if definition is not None else None

    def function_named(self, file: SourceFile, node: Node | None) -> tuple[SourceFile, Node] | None:
        """The project function an expression names (a view given by reference)."""
        target = self.resolve(file, node)
        if not isinstance(target, Symbol) or target.file not in self.files:
            return None
        definition = self.definition(target, "function_definition")
        return (self.files[target.file], definition) if definition is not None else None


_DEFINITIONS = ("class_definition", "function_definition")
_IMPORTS = ("import_statement", "import_from_statement")
_BLOCKS = ("if_statement", "try_statement", "with_statement", "else_clause", "except_clause",
           "finally_clause", "elif_clause", "block", "with_clause")  # fmt: skip


def _collect(file: SourceFile, scope: Node, found: dict[str, Binding]) -> None:
    """Module-level bindings, including those under top-level `if`/`try` (guarded imports)."""
    for statement in scope.named_children:
        if statement.type in _BLOCKS:
            _collect(file, statement, found)
        elif statement.type in _IMPORTS:
            found.update(_imports(file, statement))
        elif statement.type == "decorated_definition":
            definition = statement.child_by_field_name("definition")
            if definition is not None:
                found[ast.definition_name(file, definition)] = definition
        elif statement.type in _DEFINITIONS:
            found[ast.definition_name(file, statement)] = statement
        elif statement.type == "expression_statement" and statement.named_children:
            _assignment(file, statement.named_children[0], found)


def _assignment(file: SourceFile, node: Node, found: dict[str, Binding]) -> None:
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    if node.type == "assignment" and left is not None and right is not None:
        if left.type == "identifier":
            found[file.text(left)] = right
        elif right.type == "assignment":  # a = b = value
            _assignment(file, right, found)


def _imports(file: SourceFile, statement: Node) -> dict[str, Binding]:
    module_node = statement.child_by_field_name("module_name")
    module = file.text(module_node) if module_node is not None else None
    found: dict[str, Binding] = {}
    for item in statement.children_by_field_name("name"):
        alias = item.child_by_field_name("alias") if item.type == "aliased_import" else None
        name_node = item.child_by_field_name("name") if item.type == "aliased_import" else item
        name = file.text(name_node) if name_node is not None else ""
        if module is not None:
            found[file.text(alias) if alias else name] = _Import(module, name)
        elif alias is not None:
            found[file.text(alias)] = _Import(name, None)
        else:
            found[name.split(".")[0]] = _Import(name.split(".")[0], None)
    return found


def _shared_prefix(a: str, b: str) -> int:
    """How many leading folders two paths share."""
    count = 0
    for x, y in zip(PurePosixPath(a).parts[:-1], PurePosixPath(b).parts[:-1], strict=False):
        if x != y:
            break
        count += 1
    return count
