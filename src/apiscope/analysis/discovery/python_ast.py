"""Python syntax-tree reading shared by the Python discoverers: literal values, call arguments,
names, decorators and classes, over tree-sitter-python nodes.

Nothing here knows a framework; the cross-file side (imports, constants) is in
`frameworks/python_symbols.py`.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import PurePosixPath

from tree_sitter import Language, Node, Query, QueryCursor

from apiscope.analysis.discovery.languages import load_language
from apiscope.analysis.discovery.project import SourceFile

HTTP_METHODS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")
"""Lower-case, as Python frameworks name their shortcut decorators and view methods."""

Resolver = Callable[[Node], str | None]
"""Gives the string value of a name or expression a literal refers to, or None."""

_TEST_DIRS = frozenset({"tests", "test", "__tests__", "testing"})
_DOUBLE_SLASH = re.compile(r"/{2,}")


def is_test_file(path: str) -> bool:
    """Test modules declare throwaway apps and call clients (`client.get("/x")`): not routes."""
    parts = PurePosixPath(path).parts
    name = parts[-1]
    return (
        any(part in _TEST_DIRS for part in parts[:-1])
        or name.startswith("test_")
        or name.endswith("_test.py")
        or name in ("tests.py", "conftest.py")
    )


def imports(file: SourceFile, package: str) -> bool:
    """Whether the file imports `package` or a sibling distribution (`flask` covers
    `flask_restx`); a mere mention in a comment or string does not count."""
    pattern = rb"^[ \t]*(?:from|import)[ \t]+" + re.escape(package.encode()) + rb"\w*\b"
    return re.search(pattern, file.source, re.MULTILINE) is not None


def descendants(node: Node, *types: str) -> Iterator[Node]:
    """Every node below `node` whose type is one of `types`, in source order (outer first).

    A tree-sitter query does the walking in C: a Python-level walk of every node of every
    file was most of discovery's time on large repositories."""
    captures = QueryCursor(_query(types)).captures(node)
    found = [n for t in types for n in captures.get(t, []) if n != node]
    found.sort(key=lambda n: (n.start_byte, -n.end_byte))
    return iter(found)


@cache
def _query(types: tuple[str, ...]) -> Query:
    language = Language(load_language("python"))
    return Query(language, " ".join(f"({t}) @{t}" for t in types))


def line_of(node: Node) -> int:
    """1-based line where the node starts."""
    return node.start_point[0] + 1


def arguments(call: Node) -> tuple[list[Node], dict[str, Node]]:
    """A call's positional arguments and keyword arguments by name (splats left out)."""
    positional: list[Node] = []
    keywords: dict[str, Node] = {}
    args = call.child_by_field_name("arguments")
    for arg in args.named_children if args is not None else ():
        if arg.type == "keyword_argument":
            name, value = arg.child_by_field_name("name"), arg.child_by_field_name("value")
            if name is not None and value is not None and name.text is not None:
                keywords[name.text.decode()] = value
        elif arg.type not in ("list_splat", "dictionary_splat", "comment"):
            positional.append(arg)
    return positional, keywords


def argument(call: Node, index: int | None, keyword: str) -> Node | None:
    """The argument given by position `index` (None: keyword-only) or by `keyword`."""
    positional, keywords = arguments(call)
    if keyword in keywords:
        return keywords[keyword]
    return positional[index] if index is not None and 0 <= index < len(positional) else None


def dotted(file: SourceFile, node: Node | None) -> str | None:
    """`a.b.c` for an identifier or attribute chain, else None."""
    if node is None:
        return None
    if node.type == "identifier":
        return file.text(node)
    if node.type == "attribute":
        base = dotted(file, node.child_by_field_name("object"))
        attr = node.child_by_field_name("attribute")
        return f"{base}.{file.text(attr)}" if base and attr is not None else None
    return None


def last_name(file: SourceFile, node: Node | None) -> str | None:
    """The final identifier of a name, attribute or call: `views.index` → `index`."""
    if node is None:
        return None
    if node.type == "call":
        return last_name(file, node.child_by_field_name("function"))
    if node.type == "attribute":
        return last_name(file, node.child_by_field_name("attribute"))
    return file.text(node) if node.type == "identifier" else None


def callee(file: SourceFile, call: Node) -> tuple[Node | None, str]:
    """A method call's receiver and method name (`app.get(...)` → (`app`, "get"));
    a plain call gives (None, name)."""
    function = call.child_by_field_name("function")
    if function is not None and function.type == "attribute":
        attr = function.child_by_field_name("attribute")
        return function.child_by_field_name("object"), file.text(attr) if attr else ""
    return None, last_name(file, function) or ""


def string_value(
    file: SourceFile, node: Node | None, resolve: Resolver | None = None
) -> str | None:
    """The value of a string expression: literals, implicit and `+` concatenation, f-strings.

    Names and f-string fields go through `resolve`; an f-string field it cannot resolve is
    left out (its literal parts are kept), any other unresolved part makes the whole None.
    """
    if node is None:
        return None
    if node.type == "string":
        return _string(file, node, resolve)
    if node.type == "concatenated_string":
        parts = [_string(file, child, resolve) for child in node.named_children]
        return None if None in parts else "".join(p for p in parts if p is not None)
    if node.type == "parenthesized_expression" and node.named_child_count == 1:
        return string_value(file, node.named_children[0], resolve)
    if node.type == "binary_operator" and file.text(node.children[1]) == "+":
        left = string_value(file, node.child_by_field_name("left"), resolve)
        right = string_value(file, node.child_by_field_name("right"), resolve)
        return left + right if left is not None and right is not None else None
    return resolve(node) if resolve is not None else None


def _string(file: SourceFile, node: Node, resolve: Resolver | None) -> str | None:
    if node.type != "string":
        return None
    prefix = file.text(node.children[0]).lower() if node.children else ""
    raw = "r" in prefix
    pieces: list[str] = []
    for child in node.children:
        if child.type == "string_content":
            pieces.append(_content(file, child, raw))
        elif child.type == "interpolation":
            expression = child.child_by_field_name("expression")
            value = resolve(expression) if resolve and expression is not None else None
            pieces.append(value or "")
    return "".join(pieces)


def _content(file: SourceFile, node: Node, raw: bool) -> str:
    """A literal's text with `{{` and escape sequences decoded."""
    pieces, position = [], node.start_byte
    for child in node.children:
        pieces.append(file.source[position : child.start_byte].decode("utf-8", "replace"))
        text = file.text(child)
        if child.type == "escape_interpolation":
            text = text[0]
        elif child.type == "escape_sequence" and not raw:
            text = _unescape(text)
        pieces.append(text)
        position = child.end_byte
    pieces.append(file.source[position : node.end_byte].decode("utf-8", "replace"))
    return "".join(pieces)


def _unescape(text: str) -> str:
    try:
        return codecs.decode(text, "unicode_escape")
    except UnicodeDecodeError:
        return text


def strings(file: SourceFile, node: Node | None, resolve: Resolver | None = None) -> list[str]:
    """The string items of a list, tuple or set literal (`methods=("GET",)`), or one string."""
    if node is None:
        return []
    if node.type in ("list", "tuple", "set"):
        values = (string_value(file, item, resolve) for item in node.named_children)
        return [v for v in values if v is not None]
    value = string_value(file, node, resolve)
    return [value] if value is not None else []


def clean_path(path: str) -> str:
    """Collapse the `//` left where an unresolved f-string field was dropped."""
    return _DOUBLE_SLASH.sub("/", path)


def decorated(decorator: Node) -> Node | None:
    """The function or class definition a decorator applies to."""
    parent = decorator.parent
    return parent.child_by_field_name("definition") if parent is not None else None


def definition_name(file: SourceFile, definition: Node | None) -> str:
    """A function or class definition's name."""
    name = definition.child_by_field_name("name") if definition is not None else None
    return file.text(name) if name is not None else "anonymous"


def decorators(definition: Node) -> list[Node]:
    """The decorator expressions above a definition, top to bottom."""
    parent = definition.parent
    if parent is None or parent.type != "decorated_definition":
        return []
    return [d.named_children[0] for d in parent.named_children if d.type == "decorator"]


def enclosing_class(node: Node) -> Node | None:
    """The class whose body holds `node` directly (a method's class)."""
    current = node.parent
    while current is not None and current.type not in ("class_definition", "function_definition"):
        current = current.parent
    if current is not None and current.type == "class_definition":
        return current
    return None


def class_body(definition: Node) -> Iterator[Node]:
    """The statements of a class body, decorated definitions unwrapped."""
    body = definition.child_by_field_name("body")
    for statement in body.named_children if body is not None else ():
        if statement.type == "decorated_definition":
            inner = statement.child_by_field_name("definition")
            if inner is not None:
                yield inner
        elif statement.type == "expression_statement" and statement.named_children:
            yield statement.named_children[0]
        else:
            yield statement


def class_functions(file: SourceFile, definition: Node) -> dict[str, Node]:
    """Methods defined in a class body by name."""
    return {
        definition_name(file, statement): statement
        for statement in class_body(definition)
        if statement.type == "function_definition"
    }


def class_attribute(file: SourceFile, definition: Node, name: str) -> Node | None:
    """The value assigned to `name` in a class body (`lookup_field = "slug"`)."""
    for statement in class_body(definition):
        if statement.type == "assignment":
            left = statement.child_by_field_name("left")
            if left is not None and file.text(left) == name:
                return statement.child_by_field_name("right")
    return None


def class_bases(definition: Node) -> list[Node]:
    """The base class expressions of a class definition (keywords like metaclass left out)."""
    superclasses = definition.child_by_field_name("superclasses")
    if superclasses is None:
        return []
    return [n for n in superclasses.named_children if n.type in ("identifier", "attribute")]
