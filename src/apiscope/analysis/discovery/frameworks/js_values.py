"""What a JS/TS expression stands for, followed through scopes, imports and exports across files.

Route discovery needs to know that `router` in `app.use('/users', router)` is the
`express.Router()` created in `routes/users.js`, or that `plugin` is the function a Fastify
instance registers. `Values` answers that statically, without running anything: a name is
followed to its declaration, an import to the file and export it names, a call to a local
function to what that function returns. What cannot be known is None. Shared by the JS
discoverers; this module declares no framework of its own.
"""

from __future__ import annotations

from tree_sitter import Node

from apiscope.analysis.discovery.frameworks.js_modules import Binding, Modules
from apiscope.analysis.discovery.frameworks.js_value_types import (
    Created,
    Env,
    External,
    Instance,
    Module,
    Param,
    Ref,
    Value,
)
from apiscope.analysis.discovery.js_ast import (
    CLASS_TYPES,
    FUNCTION_TYPES,
    call_arguments,
    enclosing,
    named,
    object_property,
    string_literal,
    unwrap,
)
from apiscope.analysis.discovery.project import Project

MAX_DEPTH = 24
_SELF_SERVING = frozenset({b"routes", b"middleware"})


class Values:
    """Resolves expressions to values for one project; declarations are indexed once per file."""

    def __init__(self, project: Project) -> None:
        self.modules = Modules(project)
        self._bindings: dict[Binding, Value] = {}

    def value(self, path: str, node: Node, env: Env | None = None, depth: int = 0) -> Value | None:
        """What `node` (an expression in file `path`) evaluates to, or None when unknowable."""
        if depth > MAX_DEPTH:
            return None
        node = unwrap(node)
        if node.type == "assignment_expression":  # `const app = module.exports = express()`
            right = node.child_by_field_name("right")
            return None if right is None else self.value(path, right, env, depth + 1)
        if node.type in ("identifier", "shorthand_property_identifier"):
            return self._identifier(path, node, env, depth)
        if node.type == "this":
            cls = enclosing(node, CLASS_TYPES)
            return None if cls is None else Instance(path, cls)
        if node.type == "member_expression":
            return self._member_expression(path, node, env, depth)
        if node.type in ("call_expression", "new_expression"):
            return self._call(path, node, env, depth)
        return Ref(path, node)

    def member(self, base: Value | None, name: str, depth: int = 0) -> Value | None:
        """`base.name`: an export of a module, a property of an object literal, a class field."""
        if isinstance(base, Module):
            return self.export(base.path, name, depth + 1)
        if isinstance(base, External):
            return External(base.package, (*base.members, name))
        if isinstance(base, Ref) and base.node.type in ("object", "enum_declaration"):
            prop = _property(base.node, name)
            return None if prop is None else self.value(base.path, prop, None, depth + 1)
        if isinstance(base, Instance) or (isinstance(base, Ref) and base.node.type in CLASS_TYPES):
            cls = base.cls if isinstance(base, Instance) else base.node
            field = _class_field(cls, name)
            return None if field is None else self.value(base.path, field, None, depth + 1)
        return None

    def export(self, path: str, name: str, depth: int = 0) -> Value | None:
        """The value a file exports under `name` (`default` for the default export)."""
        return self._binding(path, self.modules.export(path, name), depth + 1)

    def module_value(self, path: str, depth: int = 0) -> Value | None:
        """What `require(path)` returns: `module.exports = X` if assigned, else the namespace."""
        binding = self.modules.commonjs_value(path)
        return Module(path) if binding is None else self._binding(path, binding, depth + 1)

    def default_value(self, path: str, depth: int = 0) -> Value | None:
        """What a default import or `import()` of a file gives a caller."""
        binding = self.modules.export(path, "default") or self.modules.commonjs_value(path)
        return Module(path) if binding is None else self._binding(path, binding, depth + 1)

    def returned(self, function: Ref, depth: int = 0) -> Value | None:
        """What a local function returns (the first `return` that resolves)."""
        body = function.node.child_by_field_name("body")
        if body is None or depth > MAX_DEPTH:
            return None
        if body.type != "statement_block":  # an arrow with an expression body
            return self.value(function.path, body, None, depth + 1)
        for statement in _returns(body):
            result = named(statement)
            found = self.value(function.path, result[0], None, depth + 1) if result else None
            if found is not None:
                return found
        return None

    def type_value(self, path: str, node: Node) -> Value | None:
        """What a TypeScript type names: `Express`, `express.Router`, `Router<State>` → External."""
        if node.type == "generic_type" and named(node):
            node = named(node)[0]
        if node.type == "nested_type_identifier":
            module, name = node.child_by_field_name("module"), node.child_by_field_name("name")
            if module is None or name is None:
                return None
            return self.member(self.type_value(path, module), self.modules.file(path).text(name))
        if node.type in ("type_identifier", "identifier"):
            return self.lookup(path, node, self.modules.file(path).text(node), 0)
        return None

    def lookup(self, path: str, at: Node, name: str, depth: int) -> Value | None:
        """The value `name` has where `at` is: a parameter or the nearest declaration."""
        scope = at.parent
        while scope is not None:
            slot = self.modules.parameter(scope, name) if scope.type in FUNCTION_TYPES else None
            if slot is not None:
                return Param(path, scope, *slot)
            binding = self.modules.declared(path, scope, name)
            if binding is not None:
                return self._binding(path, binding, depth + 1)
            scope = scope.parent
        return None

    def _identifier(self, path: str, node: Node, env: Env | None, depth: int) -> Value | None:
        name = self.modules.file(path).text(node)
        if env is not None and name in env:
            return self.value(*env[name], None, depth + 1)
        return self.lookup(path, node, name, depth)

    def _binding(self, path: str, binding: Binding | None, depth: int) -> Value | None:
        """Follows one declaration, once: many names lead to the same few imports."""
        if binding is None or depth > MAX_DEPTH:
            return None
        if binding not in self._bindings:
            found = self._follow(binding, depth)
            if found is None:  # maybe cut short by the depth limit: not worth remembering
                return None
            self._bindings[binding] = found
        return self._bindings[binding]

    def _follow(self, binding: Binding, depth: int) -> Value | None:
        """A value, a destructured member, an import or a declaration."""
        if binding.kind == "value":
            value = self.value(binding.path, binding.node, None, depth + 1)
        elif binding.kind == "declaration":
            return Ref(binding.path, binding.node)
        else:
            value = self._imported(binding.path, binding.node, binding.kind, depth)
        for member in binding.members:
            value = self.member(value, member, depth + 1)
        return value

    def _imported(self, path: str, source: Node, kind: str, depth: int) -> Value | None:
        """`kind` is `require`, `import *`, `import default` or `import <name>`."""
        specifier = string_literal(self.modules.file(path), source)
        if specifier is None:
            return None
        target = self.modules.resolve(path, specifier)
        name = kind.removeprefix("import ")
        if target is None:
            return External(specifier, () if name in ("default", "*", "require") else (name,))
        if kind == "require" or name == "*":
            return self.module_value(target, depth + 1) if kind == "require" else Module(target)
        if name == "default":
            return self.default_value(target, depth + 1)
        return self.export(target, name, depth + 1)

    def _member_expression(
        self, path: str, node: Node, env: Env | None, depth: int
    ) -> Value | None:
        obj, prop = node.child_by_field_name("object"), node.child_by_field_name("property")
        if obj is None or prop is None:
            return None
        base = self.value(path, obj, env, depth + 1)
        return self.member(base, self.modules.file(path).text(prop), depth + 1)

    def _call(self, path: str, node: Node, env: Env | None, depth: int) -> Value | None:
        callee = node.child_by_field_name(
            "function" if node.type == "call_expression" else "constructor"
        )
        args = call_arguments(node)
        if callee is None:
            return None
        if (
            callee.type in ("import", "identifier")
            and args
            and callee.text in (b"import", b"require")
        ):
            return self._loaded(path, args[0], callee.type == "import", depth)
        served = callee.child_by_field_name("object") if _returns_itself(callee) else None
        if served is not None:  # `router.routes()` stands for the router it serves
            return self.value(path, served, env, depth + 1)
        target = self.value(path, callee, env, depth + 1)
        if isinstance(target, External):
            return Created(path, node, target)
        if isinstance(target, Ref) and target.node.type in CLASS_TYPES:
            return Instance(target.path, target.node)
        if isinstance(target, Ref) and target.node.type in FUNCTION_TYPES:
            return self.returned(target, depth + 1)
        return None

    def _loaded(self, path: str, source: Node, dynamic: bool, depth: int) -> Value | None:
        """`require('./x')` and `import('./x')` (whose default export plugins register)."""
        specifier = string_literal(self.modules.file(path), source)
        target = None if specifier is None else self.modules.resolve(path, specifier)
        if target is None:
            return None if specifier is None else External(specifier)
        return (
            self.default_value(target, depth + 1)
            if dynamic
            else self.module_value(target, depth + 1)
        )


def _returns_itself(callee: Node) -> bool:
    """`.routes()` and `.middleware()` calls: koa-router's middleware for the router itself."""
    prop = callee.child_by_field_name("property") if callee.type == "member_expression" else None
    return prop is not None and prop.text in _SELF_SERVING


def _property(holder: Node, name: str) -> Node | None:
    """A property of an object literal, or a member's value in `enum E { A = 'a' }`."""
    if holder.type == "object":
        return object_property(holder, name)
    for member in named(holder.child_by_field_name("body")):
        key = member.child_by_field_name("name")
        if member.type == "enum_assignment" and key is not None and key.text == name.encode():
            return member.child_by_field_name("value")
    return None


def _class_field(cls: Node, name: str) -> Node | None:
    """A field's initial value: `router = Router()` or `this.router = Router()` in a method."""
    for member in named(cls.child_by_field_name("body")):
        key = member.child_by_field_name("property") or member.child_by_field_name("name")
        fields = ("field_definition", "public_field_definition")
        if member.type in fields and key is not None and key.text == name.encode():
            return member.child_by_field_name("value")
    return _this_assignment(cls, name)


def _this_assignment(cls: Node, name: str) -> Node | None:
    """The right side of the first `this.<name> = …` in the class's methods."""
    pending = named(cls.child_by_field_name("body"))
    while pending:
        node = pending.pop(0)
        left = node.child_by_field_name("left") if node.type == "assignment_expression" else None
        if (
            left is not None
            and left.type == "member_expression"
            and left.text == b"this." + name.encode()
        ):
            return node.child_by_field_name("right")
        pending[:0] = named(node)
    return None


def _returns(body: Node) -> list[Node]:
    """The `return` statements of a function body, not those of functions nested in it."""
    found: list[Node] = []
    pending = named(body)
    while pending:
        node = pending.pop()
        if node.type == "return_statement":
            found.append(node)
        elif node.type not in FUNCTION_TYPES and node.type not in CLASS_TYPES:
            pending += named(node)
    return sorted(found, key=lambda n: n.start_byte)
