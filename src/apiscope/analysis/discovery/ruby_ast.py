"""Ruby syntax as route DSLs use it: receiver-less calls with literal arguments and blocks.

Rails' `resources :photos, only: %i[index show] do ... end` and Sinatra's `get '/x' do ... end`
are both a `call` node with symbols, strings, keyword pairs and a block; this module turns one
into a `Call` record so the discoverers read options by name instead of walking nodes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from tree_sitter import Node

from apiscope.analysis.discovery.project import Project, SourceFile

_TEST_FOLDERS = frozenset({"spec", "specs", "test", "tests", "features"})
_TEST_FILE = re.compile(r"_(spec|test)\.rb$")
_LITERAL_PARTS = frozenset({"string_content", "escape_sequence"})
_SYMBOL_KEYS = frozenset({"hash_key_symbol", "simple_symbol", "delimited_symbol"})


def is_test_path(path: str) -> bool:
    """RSpec and Minitest files drive apps with `get '/x'` calls: requests, not routes."""
    *folders, name = path.split("/")
    return bool(_TEST_FOLDERS.intersection(folders)) or bool(_TEST_FILE.search(name))


def ruby_files(project: Project, marker: bytes) -> Iterator[SourceFile]:
    """Non-test Ruby files whose bytes mention `marker` (a cheap pre-filter before parsing)."""
    for file in project.of("ruby"):
        if marker in file.source and not is_test_path(file.path):
            yield file


def line_of(node: Node) -> int:
    """The 1-based line a node starts on."""
    return node.start_point.row + 1


def literal(file: SourceFile, node: Node | None) -> str | None:
    """The value of a string or symbol written out in full; None when computed or interpolated."""
    if node is None:
        return None
    if node.type in ("string", "bare_string", "bare_symbol", "delimited_symbol"):
        parts = [c for c in node.named_children]
        if any(c.type not in _LITERAL_PARTS for c in parts):
            return None
        return "".join(file.text(c) for c in parts)
    if node.type == "simple_symbol":
        return file.text(node).removeprefix(":")
    if node.type == "hash_key_symbol":
        return file.text(node)
    return None


def literals(file: SourceFile, node: Node | None) -> list[str] | None:
    """`:a`, `[:a, 'b']`, `%i[a b]` or `%w[a b]` as a list; None when any item is computed."""
    if node is None:
        return None
    if node.type in ("array", "string_array", "symbol_array"):
        values = [literal(file, item) for item in node.named_children]
        return None if None in values else [v for v in values if v is not None]
    value = literal(file, node)
    return None if value is None else [value]


def literal_hash(file: SourceFile, node: Node | None) -> dict[str, str]:
    """`{ sessions: "users/sessions" }` as a dict of its literal keys and values."""
    if node is None or node.type != "hash":
        return {}
    found: dict[str, str] = {}
    for pair in (p for p in node.named_children if p.type == "pair"):
        key = literal(file, pair.child_by_field_name("key"))
        value = literal(file, pair.child_by_field_name("value"))
        if key is not None and value is not None:
            found[key] = value
    return found


@dataclass(frozen=True)
class Call:
    """A method call: its name, positional arguments, keyword options and block statements."""

    node: Node
    name: str
    receiver: Node | None
    args: tuple[Node, ...]
    options: dict[str, Node] = field(default_factory=dict)
    rockets: tuple[tuple[Node, Node], ...] = ()
    """`'path' => 'c#a'` pairs whose key is not a symbol."""
    body: tuple[Node, ...] | None = None
    """The block's statements; None when the call has no block."""

    @property
    def line(self) -> int:
        """The 1-based line of the call."""
        return line_of(self.node)


def parse_call(file: SourceFile, node: Node) -> Call | None:
    """A `call` node as a `Call`; None for anything else."""
    if node.type != "call" or (method := node.child_by_field_name("method")) is None:
        return None
    args: list[Node] = []
    options: dict[str, Node] = {}
    rockets: list[tuple[Node, Node]] = []
    arguments = node.child_by_field_name("arguments")
    for arg in arguments.named_children if arguments else ():
        if arg.type == "pair":
            _add_pair(file, arg, options, rockets)
        elif arg.type == "hash":
            for pair in (p for p in arg.named_children if p.type == "pair"):
                _add_pair(file, pair, options, rockets)
        elif arg.type != "comment":
            args.append(arg)
    return Call(
        node, file.text(method), node.child_by_field_name("receiver"), tuple(args), options,
        tuple(rockets), block_statements(node),
    )  # fmt: skip


def _add_pair(
    file: SourceFile, pair: Node, options: dict[str, Node], rockets: list[tuple[Node, Node]]
) -> None:
    key, value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
    if key is None or value is None:
        return
    name = literal(file, key) if key.type in _SYMBOL_KEYS else None
    if name is not None:
        options[name] = value
    else:
        rockets.append((key, value))


def block_statements(node: Node) -> tuple[Node, ...] | None:
    """The statements of a call's `do ... end` or `{ ... }` block; None without a block."""
    block = node.child_by_field_name("block")
    if block is None:
        return None
    body = block.child_by_field_name("body")
    return tuple(body.named_children) if body is not None else ()


def nested_calls(node: Node) -> Iterator[Node]:
    """The calls a statement holds, looking through `if`, `unless`, `begin` and the like."""
    if node.type == "call":
        yield node
        return
    if node.type in ("class", "module", "method", "singleton_method", "lambda", "comment"):
        return
    for child in node.named_children:
        yield from nested_calls(child)
