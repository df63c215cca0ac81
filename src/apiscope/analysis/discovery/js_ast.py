"""JavaScript and TypeScript syntax as the JS discoverers read it.

Only what route discovery needs: literal strings, calls and their arguments, function
parameters, handler names as written, and which project file a relative import names. Everything
here looks at one file; following names across files is `frameworks/js_values.py`'s job.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Container, Iterator
from functools import cache

from tree_sitter import Language, Node, Query, QueryCursor

from apiscope.analysis.discovery.languages import load_language
from apiscope.analysis.discovery.project import Project, SourceFile

JS_LANGUAGES = ("javascript", "typescript", "tsx")
FUNCTION_TYPES = frozenset(
    {"function_expression", "function_declaration", "arrow_function", "method_definition",
     "generator_function", "generator_function_declaration", "function"}
)  # fmt: skip
CLASS_TYPES = frozenset({"class_declaration", "abstract_class_declaration", "class"})
_WRAPPERS = frozenset(
    {"parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression",
     "await_expression", "type_assertion"}
)  # fmt: skip
_HANDLER_LIKE = FUNCTION_TYPES | {"identifier", "member_expression", "call_expression"}
_TEST_DIRS = frozenset({"test", "tests", "__tests__", "__mocks__", "e2e", "cypress", "spec"})
_TEST_FILE = re.compile(r"[.-](test|spec|e2e-spec|e2e|stories)\.[cm]?[jt]sx?$")
_SOURCE_SUFFIXES = (".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts")
_COMPILED_SUFFIXES = (".js", ".jsx", ".mjs", ".cjs")


def is_test_path(path: str) -> bool:
    """Test code declares throwaway apps and routes; it is never the application's API."""
    *folders, name = path.split("/")
    return _TEST_FILE.search(name) is not None or not _TEST_DIRS.isdisjoint(folders)


def js_files(project: Project) -> Iterator[SourceFile]:
    """The JS/TS application sources: no tests, type declarations or minified bundles."""
    for file in project.of(*JS_LANGUAGES):
        if not (is_test_path(file.path) or file.path.endswith((".d.ts", ".min.js"))):
            yield file


def calls(file: SourceFile) -> list[Node]:
    """Every call in a file, in source order (found by a tree-sitter query, not a Python walk)."""
    found = QueryCursor(_calls_query(file.language)).captures(file.root).get("call", [])
    return sorted(found, key=lambda n: n.start_byte)


@cache
def _calls_query(language: str) -> Query:
    return Query(Language(load_language(language)), "(call_expression) @call")


def possible_sites(file: SourceFile) -> set[str]:
    """Names that may hold an app handed to a function: `const x = f()` / `new X()` names, and
    the parameters of functions that are not callbacks (a route handler's `req` never is one).
    A cheap syntactic filter that spares resolving most call arguments of a file."""
    captures = QueryCursor(_sites_query(file.language)).captures(file.root)
    names = {file.text(n) for n in captures.get("name", [])}
    for function in captures.get("function", []):
        if function.parent is None or function.parent.type != "arguments":
            names.update(parameter_slots(function))
    return names


@cache
def _sites_query(language: str) -> Query:
    values = "[(call_expression) (new_expression) (await_expression) (assignment_expression)]"
    functions = "(function_expression) (arrow_function) (function_declaration) (method_definition)"
    patterns = (
        f"(variable_declarator name: (identifier) @name value: {values})\n[{functions}] @function"
    )
    return Query(Language(load_language(language)), patterns)


def named(node: Node | None) -> list[Node]:
    """A node's named children without comments (which tree-sitter puts anywhere)."""
    return [] if node is None else [c for c in node.named_children if c.type != "comment"]


def unwrap(node: Node) -> Node:
    """The expression inside parentheses, `await`, `x as T`, `x!` and `<T>x`."""
    while node.type in _WRAPPERS and named(node):
        node = named(node)[-1 if node.type == "type_assertion" else 0]
    return node


def line_of(node: Node) -> int:
    """The 1-based line a node starts on."""
    return node.start_point.row + 1


def string_literal(file: SourceFile, node: Node) -> str | None:
    """A quoted string or a template literal without substitutions, else None."""
    node = unwrap(node)
    if node.type == "string" or (
        node.type == "template_string"
        and not any(c.type == "template_substitution" for c in named(node))
    ):
        return file.text(node)[1:-1]
    return None


def call_arguments(call: Node) -> list[Node]:
    """The argument expressions of a call or `new` (empty for `new X` without parentheses)."""
    return named(call.child_by_field_name("arguments"))


def member_call(call: Node) -> tuple[Node, str] | None:
    """`receiver.method(...)` as (receiver, method name); None for other calls."""
    if call.type != "call_expression":
        return None
    callee = unwrap(call.child_by_field_name("function") or call)
    prop = callee.child_by_field_name("property") if callee.type == "member_expression" else None
    obj = callee.child_by_field_name("object")
    if prop is None or obj is None or prop.text is None:
        return None
    return obj, prop.text.decode(errors="replace")


def object_property(node: Node, key: str) -> Node | None:
    """The value of `key` in an object literal (a shorthand property is its own value)."""
    for child in named(node):
        if child.type == "shorthand_property_identifier" and child.text == key.encode():
            return child
        name = child.child_by_field_name("key") if child.type == "pair" else None
        if (
            name is not None
            and name.text is not None
            and name.text.decode(errors="replace").strip("'\"") == key
        ):
            return child.child_by_field_name("value")
    return None


def parameter_patterns(function: Node) -> list[Node]:
    """A function's parameters as written: identifiers, or object and array patterns."""
    single = function.child_by_field_name("parameter")
    if single is not None:
        return [single]
    found: list[Node] = []
    for param in named(function.child_by_field_name("parameters")):
        if param.type in ("required_parameter", "optional_parameter"):
            param = param.child_by_field_name("pattern") or param
        if param.type == "assignment_pattern":
            param = param.child_by_field_name("left") or param
        found.append(param)
    return found


def parameters(function: Node) -> list[Node | None]:
    """A function's parameters as their identifiers; None where a parameter is destructured."""
    return [p if p.type == "identifier" else None for p in parameter_patterns(function)]


def parameter_slots(function: Node) -> dict[str, tuple[int, str | None]]:
    """Each name a function's parameters bind: (position, key when destructured `{ app }`)."""
    slots: dict[str, tuple[int, str | None]] = {}
    for index, pattern in enumerate(parameter_patterns(function)):
        if pattern.type == "identifier" and pattern.text is not None:
            slots.setdefault(pattern.text.decode(errors="replace"), (index, None))
        for name, key in _pattern_keys(pattern) if pattern.type == "object_pattern" else []:
            slots.setdefault(name, (index, key))
    return slots


def _pattern_keys(pattern: Node) -> Iterator[tuple[str, str]]:
    """(local name, property) of each property an object pattern binds."""
    for part in named(pattern):
        if part.type == "object_assignment_pattern":
            part = part.child_by_field_name("left") or part
        if part.type == "shorthand_property_identifier_pattern" and part.text is not None:
            yield part.text.decode(errors="replace"), part.text.decode(errors="replace")
        value = part.child_by_field_name("value") if part.type == "pair_pattern" else None
        if value is not None and value.type == "assignment_pattern":
            value = value.child_by_field_name("left")
        key = part.child_by_field_name("key")
        if value is not None and value.type == "identifier" and value.text and key and key.text:
            yield (
                value.text.decode(errors="replace"),
                key.text.decode(errors="replace").strip("'\""),
            )


def parameter_type(function: Node, index: int, key: str | None = None) -> Node | None:
    """The TypeScript type written on a parameter (`app: Express`), or on its `{ app }` key."""
    patterns = parameter_patterns(function)
    holder = patterns[index].parent if index < len(patterns) else None
    annotation = holder.child_by_field_name("type") if holder is not None else None
    written = next(iter(named(annotation)), None)
    if key is None or written is None:
        return written
    for member in named(written) if written.type == "object_type" else []:
        name = member.child_by_field_name("name")
        if member.type == "property_signature" and name is not None and name.text == key.encode():
            return next(iter(named(member.child_by_field_name("type"))), None)
    return None


def enclosing(node: Node, types: Container[str]) -> Node | None:
    """The nearest ancestor of one of these types."""
    parent = node.parent
    while parent is not None and parent.type not in types:
        parent = parent.parent
    return parent


def handler_name(file: SourceFile, node: Node) -> str:
    """A handler as written: `list`, `users.list`; `anonymous` for inline functions."""
    node = unwrap(node)
    if node.type in ("identifier", "member_expression"):
        return "".join(file.text(node).split())
    if node.type in FUNCTION_TYPES:
        name = node.child_by_field_name("name") if node.type != "method_definition" else None
        return file.text(name) if name is not None else "anonymous"
    if node.type == "array" and named(node):
        return handler_name(file, named(node)[-1])
    if node.type == "call_expression":
        return _wrapped_handler(file, node)
    return "anonymous"


def _wrapped_handler(file: SourceFile, call: Node) -> str:
    """`asyncHandler(users.list)` → `users.list`; `users.list.bind(users)` → `users.list`."""
    bound = member_call(call)
    if bound is not None and bound[1] == "bind":
        return handler_name(file, bound[0])
    inner = [a for a in call_arguments(call) if unwrap(a).type in _HANDLER_LIKE]
    if inner:
        return handler_name(file, inner[-1])
    return "".join(file.text(call.child_by_field_name("function") or call).split())


def resolve_specifier(known: Container[str], importer: str, specifier: str) -> str | None:
    """The project file a relative import names: `./users` → `routes/users.ts` or `…/index.js`."""
    if not specifier.startswith("."):
        return None
    base = posixpath.normpath(posixpath.join(posixpath.dirname(importer), specifier))
    return None if base.startswith("..") else first_source(known, base)


def first_source(known: Container[str], base: str) -> str | None:
    """The file Node or a bundler would load for `base`, trying extensions and index files."""
    stem, suffix = posixpath.splitext(base)
    candidates = [base]
    if suffix in _COMPILED_SUFFIXES:  # TypeScript ESM writes `./users.js` for `users.ts`
        candidates += [stem + s for s in _SOURCE_SUFFIXES]
    candidates += [base + s for s in _SOURCE_SUFFIXES]
    candidates += [f"{base}/index{s}" for s in _SOURCE_SUFFIXES]
    return next((c.removeprefix("./") for c in candidates if c.removeprefix("./") in known), None)


def method_line(call: Node) -> int:
    """The line of a member call's method name: each call of a multi-line chain has its own."""
    callee = call.child_by_field_name("function")
    prop = callee.child_by_field_name("property") if callee is not None else None
    return line_of(prop or call)
