"""Which tree-sitter nodes are functions, classes and calls in each language, and their names.

One table for every grammar discovery reads, so the context builder and the rules agree on what
a function is. Names are read as written; nothing here resolves anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from tree_sitter import Language, Node, Query, QueryCursor

from apiscope.analysis.discovery.languages import load_language


@dataclass(frozen=True, slots=True)
class Syntax:
    """The node types of one grammar that the analysers care about."""

    definitions: frozenset[str]
    """Functions and methods that carry a name of their own."""
    lambdas: frozenset[str]
    """Anonymous functions: arrows, closures, blocks passed to a call."""
    classes: frozenset[str]
    """Containers whose name qualifies a method: classes, modules, Rust `impl` blocks."""
    calls: frozenset[str]

    @property
    def functions(self) -> frozenset[str]:
        """Every function-like node type."""
        return self.definitions | self.lambdas


_JS = Syntax(
    definitions=frozenset(
        {"function_declaration", "generator_function_declaration", "method_definition"}
    ),
    lambdas=frozenset({"arrow_function", "function_expression", "function", "generator_function"}),
    classes=frozenset({"class_declaration", "abstract_class_declaration", "class"}),
    calls=frozenset({"call_expression", "new_expression"}),
)

SYNTAX: dict[str, Syntax] = {
    "python": Syntax(
        frozenset({"function_definition"}),
        frozenset({"lambda"}),
        frozenset({"class_definition"}),
        frozenset({"call"}),
    ),
    "javascript": _JS,
    "typescript": _JS,
    "tsx": _JS,
    "java": Syntax(
        frozenset({"method_declaration", "constructor_declaration"}),
        frozenset({"lambda_expression"}),
        frozenset(
            {"class_declaration", "interface_declaration", "enum_declaration", "record_declaration"}
        ),
        frozenset({"method_invocation", "object_creation_expression"}),
    ),
    "kotlin": Syntax(
        frozenset({"function_declaration"}),
        frozenset({"lambda_literal", "anonymous_function"}),
        frozenset({"class_declaration", "object_declaration"}),
        frozenset({"call_expression"}),
    ),
    "go": Syntax(
        frozenset({"function_declaration", "method_declaration"}),
        frozenset({"func_literal"}),
        frozenset(),
        frozenset({"call_expression"}),
    ),
    "ruby": Syntax(
        frozenset({"method", "singleton_method"}),
        frozenset({"do_block", "block", "lambda"}),
        frozenset({"class", "module"}),
        frozenset({"call"}),
    ),
    "php": Syntax(
        frozenset({"function_definition", "method_declaration"}),
        frozenset(
            {"anonymous_function", "arrow_function", "anonymous_function_creation_expression"}
        ),
        frozenset({"class_declaration", "trait_declaration"}),
        frozenset(
            {
                "function_call_expression",
                "member_call_expression",
                "scoped_call_expression",
                "nullsafe_member_call_expression",
                "object_creation_expression",
            }
        ),
    ),
    "csharp": Syntax(
        frozenset({"method_declaration", "local_function_statement", "constructor_declaration"}),
        frozenset({"lambda_expression", "anonymous_method_expression"}),
        frozenset({"class_declaration", "struct_declaration", "record_declaration"}),
        frozenset({"invocation_expression", "object_creation_expression"}),
    ),
    "rust": Syntax(
        frozenset({"function_item"}),
        frozenset({"closure_expression"}),
        frozenset({"impl_item", "trait_item"}),
        frozenset({"call_expression", "macro_invocation"}),
    ),
}


def nodes_of(root: Node, language: str, types: frozenset[str]) -> list[Node]:
    """Every node of these types under `root` (itself included), outermost first."""
    if not types:
        return []
    captures = QueryCursor(_query(language, tuple(sorted(types)))).captures(root)
    found = [node for nodes in captures.values() for node in nodes]
    return sorted(found, key=lambda n: (n.start_byte, -n.end_byte))


@cache
def _query(language: str, types: tuple[str, ...]) -> Query:
    grammar = Language(load_language(language))
    valid = [t for t in types if _has_type(grammar, t)]
    return Query(grammar, " ".join(f"({t}) @n" for t in valid) or "(ERROR) @n")


def _has_type(grammar: Language, node_type: str) -> bool:
    return grammar.id_for_node_kind(node_type, True) not in (None, 0)


def text(node: Node | None) -> str:
    """A node's source text."""
    return "" if node is None or node.text is None else node.text.decode("utf-8", "replace")


def definition_name(node: Node) -> str:
    """The name a function-like node is known by: its own, or the one it is bound to."""
    own = node.child_by_field_name("name")
    if own is not None:
        return text(own)
    if node.type in ("function_declaration", "class_declaration", "object_declaration"):
        ident = next((c for c in node.named_children if "identifier" in c.type), None)
        return text(ident)  # Kotlin keeps the name in a plain child
    if node.type == "impl_item":
        return text(node.child_by_field_name("type"))
    return _bound_name(node)


def _bound_name(node: Node) -> str:
    """`const list = () => …`, `list: function () {…}`, `exports.list = …`, `list = () => …`."""
    parent = node.parent
    if parent is None:
        return ""
    if parent.type == "variable_declarator":
        return text(parent.child_by_field_name("name"))
    if parent.type == "pair":
        return text(parent.child_by_field_name("key")).strip("'\"")
    if parent.type in ("public_field_definition", "field_definition"):
        key = parent.child_by_field_name("name") or parent.child_by_field_name("property")
        return text(key)
    if parent.type in ("assignment_expression", "assignment"):
        left = parent.child_by_field_name("left")
        return text(left).rsplit(".", 1)[-1]
    if parent.type == "arguments" and parent.parent is not None:  # `const list = wrap(() => …)`
        return _bound_name(parent.parent)
    return ""


def containers(node: Node, language: str) -> Iterator[Node]:
    """The classes (or `impl` blocks) around a node, innermost first."""
    kinds = SYNTAX[language].classes
    current = node.parent
    while current is not None:
        if current.type in kinds:
            yield current
        current = current.parent


def owner_name(node: Node, language: str) -> str:
    """The class, receiver type or object a method belongs to, or ""."""
    if node.type == "method_declaration" and language == "go":
        return _go_receiver(node)
    container = next(containers(node, language), None)
    if container is not None:
        return definition_name(container)
    holder = node.parent.parent if node.parent is not None else None  # `const h = { show() {} }`
    if holder is not None and holder.type == "object":
        return _bound_name(holder)
    return ""


def _go_receiver(method: Node) -> str:
    receiver = method.child_by_field_name("receiver")
    parameter = receiver.named_children[0] if receiver and receiver.named_children else None
    kind = parameter.child_by_field_name("type") if parameter is not None else None
    while kind is not None and kind.type in ("pointer_type", "generic_type"):
        kind = kind.named_children[-1] if kind.type == "pointer_type" else kind.named_children[0]
    return text(kind)


def line_of(node: Node) -> int:
    """The 1-based line a node starts on."""
    return node.start_point.row + 1


def end_line_of(node: Node) -> int:
    """The 1-based line a node ends on (a node ending at column 0 ends on the line before)."""
    row, column = node.end_point
    return row if column == 0 and row > node.start_point.row else row + 1
