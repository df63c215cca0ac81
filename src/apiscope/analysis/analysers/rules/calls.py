"""Calls as the rules compare them, the same shape in every language: the callee as written
(whitespace and argument lists left out), its name, receiver and dotted segments, the arguments.

`Order.objects.filter(user=u).first()` is one chain of two calls; only the outer one is
`outermost`, so a rule reports a chained query once, on the whole chain's lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tree_sitter import Node

from apiscope.analysis.analysers.context.syntax import SYNTAX, nodes_of, text

_ARGUMENT_LISTS = frozenset(
    {"argument_list", "arguments", "value_arguments", "call_suffix", "token_tree",
     "template_string"}
)  # fmt: skip
_ARGUMENT_WRAPPERS = frozenset({"argument", "value_argument"})
_MEMBER_ACCESS = frozenset(
    {"attribute", "member_expression", "selector_expression", "field_access",
     "navigation_expression", "field_expression", "member_access_expression",
     "scoped_identifier", "optional_chain"}
)  # fmt: skip
_CHAIN_FIELDS = ("function", "object", "receiver", "scope", "operand", "expression", "value")
_SEPARATORS = re.compile(r"\?\.|!\.|\.|::|->|\?->")
_GENERIC = re.compile(r"<[\w\s,.?\[\]]*>")
_PUNCTUATION = frozenset({"(", ")", ",", "comment", "line_comment", "block_comment"})


@dataclass(frozen=True, slots=True)
class Call:
    """One call expression, read the same way in every grammar."""

    node: Node
    callee: str
    """As written, without whitespace and with argument lists emptied: `a.b(x).c` → `a.b().c`."""
    name: str
    receiver: str
    """The callee without its name: `Order.objects.filter()` for `….first`."""
    segments: tuple[str, ...]
    """Names along the chain: `("Order", "objects", "filter", "first")`."""
    arguments: tuple[Node, ...]
    keywords: frozenset[str]
    """Keyword argument names (`timeout`), and `**` when a mapping is splatted in."""
    constructor: bool
    chained_into: Node | None
    """The call this one is the receiver of (`….first()` for `Order.objects.filter(…)`)."""

    @property
    def outermost(self) -> bool:
        """Whether no further call is made on this call's result in the same chain."""
        return self.chained_into is None

    @property
    def shown(self) -> str:
        """How a message names the call: `Order.objects.filter(…).first()`."""
        tail = "(…)" if self.arguments else "()"
        return self.callee.replace("()", "(…)") + tail

    @property
    def root(self) -> str:
        """The first name of the chain (`Order`), `this`/`self` included."""
        return self.segments[0] if self.segments else ""


def calls_in(function: Node, language: str) -> list[Call]:
    """Every call under `function`, in source order."""
    kinds = SYNTAX[language].calls
    return [read_call(node, kinds) for node in nodes_of(function, language, kinds)]


def read_call(node: Node, kinds: frozenset[str]) -> Call:
    """A call node as a `Call`."""
    arguments = node.child_by_field_name("arguments") or next(
        (c for c in node.named_children if c.type in _ARGUMENT_LISTS), None
    )
    constructor = node.type in ("new_expression", "object_creation_expression")
    head = _head_text(node, arguments)
    callee = _compact(head.removeprefix("new "))
    segments = tuple(s for s in (_name_of(p) for p in _SEPARATORS.split(callee)) if s)
    name = segments[-1] if segments else ""
    receiver = callee[: len(callee) - len(_last_part(callee))].rstrip(".:->?!")
    return Call(
        node=node,
        callee=callee,
        name=name,
        receiver=receiver,
        segments=segments,
        arguments=tuple(_arguments(arguments)),
        keywords=_keywords(arguments),
        constructor=constructor,
        chained_into=_chained_into(node, kinds),
    )


def _head_text(node: Node, arguments: Node | None) -> str:
    """The call's text before its arguments (Ruby's `each do … end` before its block)."""
    method = node.child_by_field_name("method")
    if node.type == "call" and method is not None:
        end = method.end_byte
    elif arguments is not None:
        end = arguments.start_byte
    else:
        block = node.child_by_field_name("block")
        end = block.start_byte if block is not None else node.end_byte
    return (node.text or b"")[: end - node.start_byte].decode("utf-8", "replace")


def _compact(head: str) -> str:
    """Whitespace removed, bracketed contents emptied, generic arguments dropped."""
    head = "".join(head.split())
    head = _GENERIC.sub("", head)
    out: list[str] = []
    depth = 0
    for char in head:
        if char in "([{":
            if depth == 0:
                out.append(char)
            depth += 1
        elif char in ")]}":
            depth = max(depth - 1, 0)
            if depth == 0:
                out.append(char)
        elif depth == 0:
            out.append(char)
    return "".join(out)


def _name_of(part: str) -> str:
    return part.split("(")[0].split("[")[0].lstrip("$@&*(").rstrip("!?")


def _last_part(callee: str) -> str:
    parts = _SEPARATORS.split(callee)
    return parts[-1] if parts else callee


def _arguments(arguments: Node | None) -> list[Node]:
    if arguments is None:
        return []
    if arguments.type in ("template_string", "generator_expression"):
        return [arguments]
    found: list[Node] = []
    for child in arguments.named_children:
        if child.type in _PUNCTUATION:
            continue
        if child.type in _ARGUMENT_WRAPPERS and child.named_children:
            child = child.named_children[-1]
        found.append(child)
    return found


def _keywords(arguments: Node | None) -> frozenset[str]:
    names: set[str] = set()
    for child in arguments.named_children if arguments is not None else ():
        if child.type == "keyword_argument":
            names.add(text(child.child_by_field_name("name")))
        elif child.type == "pair":  # Ruby `timeout: 5`
            names.add(text(child.child_by_field_name("key")).strip(":'\""))
        elif child.type in ("dictionary_splat", "hash_splat_argument", "spread_element"):
            names.add("**")
    return frozenset(names)


def _chained_into(node: Node, kinds: frozenset[str]) -> Node | None:
    """The call whose receiver this call is, if any."""
    child, parent = node, node.parent
    while parent is not None and parent.type in _MEMBER_ACCESS | {"non_null_expression"}:
        child, parent = parent, parent.parent
    if parent is None or parent.type not in kinds:
        return None
    chained = any(parent.child_by_field_name(f) == child for f in _CHAIN_FIELDS)
    return parent if chained else None


_URL = re.compile(r"^(https?://|/|\{[^}]*\}/|\$\{[^}]*\}/)", re.IGNORECASE)
_URL_NAMES = re.compile(r"(url|uri|endpoint|href|link)$", re.IGNORECASE)


def looks_like_url(node: Node) -> bool:
    """A URL written as a literal (`"https://…"`, `"/users"`, `f"{base}/x"`) or held by a name
    that says so (`url`, `self.api_url`)."""
    if node.type in ("binary_operator", "binary_expression") and node.named_children:
        return looks_like_url(node.named_children[0])
    if node.type in (
        "identifier",
        "attribute",
        "member_expression",
        "selector_expression",
        "field_access",
        "variable_name",
        "member_access_expression",
    ):
        return _URL_NAMES.search(text(node)) is not None
    literal = text(node).lstrip("fFrRbBu@$")
    return literal[:1] in "'\"`" and _URL.match(literal[1:]) is not None
