"""Calls followed by name, for languages without an import resolver (Java, Kotlin, Go, Ruby,
PHP, C#, Rust): precise enough because only what is certain is taken.

A call on the caller's own object (`this.x()`, `$this->x()`, `self.x`, Go's receiver, or no
receiver at all) goes to a method of the same class, or a function of the same file or Go
package. A call on a field goes to the class the field is named after (`userService` →
`UserService` or `UserServiceImpl`). Anything else only when its name is distinctive and defined
once in the project.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator

from tree_sitter import Node

from apiscope.analysis.analysers.context.definitions import Definition, Definitions, has_body
from apiscope.analysis.analysers.context.syntax import SYNTAX, line_of, nodes_of, text

_CALLEE = re.compile(r"^(?P<receiver>.*?)(?:\?\.|\.|::|->|\?->)?(?P<name>[A-Za-z_$][\w$]*)[!?]?$")
_SELF = frozenset({"", "this", "self", "$this", "static", "Self"})
_RECEIVERS = ("receiver", "object", "scope")
_ARGUMENTS = ("argument_list", "arguments", "value_arguments", "call_suffix")


class GenericResolver:
    """Callees of functions in the name-resolved languages."""

    def __init__(self, definitions: Definitions) -> None:
        self.definitions = definitions

    def callees(self, caller: Definition) -> Iterator[tuple[int, Definition]]:
        """The project functions `caller` calls, with the line of each call."""
        language = caller.file.language
        own = _SELF | {_go_receiver_name(caller.node)} if language == "go" else _SELF
        for call in nodes_of(caller.node, language, SYNTAX[language].calls):
            parts = call_parts(call)
            if parts is None:
                continue
            receiver, name = parts
            target = (
                self._own(caller, name, receiver)
                if receiver in own
                else self._field(caller, receiver, name)
            )
            if target is not None and target.node != caller.node:
                yield line_of(call), target

    def _own(self, caller: Definition, name: str, receiver: str) -> Definition | None:
        """A sibling method, a function of the same file, or of the same Go package."""
        candidates = [
            d for d in self.definitions.named(caller.file.language, name) if has_body(d.node)
        ]
        preferences: tuple[Callable[[Definition], bool], ...] = (
            lambda d: d.owner == caller.owner and d.file.path == caller.file.path,
            lambda d: bool(caller.owner) and d.owner == caller.owner,
            lambda d: d.file.path == caller.file.path and (not d.owner or receiver == ""),
            lambda d: not d.owner and _same_folder(d, caller) and caller.file.language == "go",
        )
        for keep in preferences:
            found = [d for d in candidates if keep(d)]
            if found:
                return found[0] if len(found) == 1 else None
        return None

    def _field(self, caller: Definition, receiver: str, name: str) -> Definition | None:
        """`userService.findAll()` → `UserService(Impl).findAll`; else a unique distinctive name."""
        field = re.sub(r"^(this\.|\$this->|self\.|@|_|m_)", "", receiver).lstrip("_$")
        if field and field.isidentifier():
            wanted = {field.lower(), field.lower() + "impl"}
            owned = [
                d
                for d in self.definitions.named(caller.file.language, name)
                if d.owner.lower() in wanted and has_body(d.node)
            ]
            if len(owned) == 1:
                return owned[0]
        return self.definitions.unique(caller.file.language, name)


def call_parts(call: Node) -> tuple[str, str] | None:
    """(receiver as written, method name) of a call: `repo.findById(x)` → (`repo`, `findById`)."""
    if call.type in ("object_creation_expression", "new_expression"):
        return None
    method = call.child_by_field_name("method") or call.child_by_field_name("name")
    if method is not None:  # Ruby, Java and PHP name the parts
        receiver = next(filter(None, map(call.child_by_field_name, _RECEIVERS)), None)
        return "".join(text(receiver).split()), text(method)
    arguments = next((c for c in call.named_children if c.type in _ARGUMENTS), None)
    end = arguments.start_byte if arguments is not None else call.end_byte
    source = (call.text or b"")[: end - call.start_byte].decode("utf-8", "replace")
    match = _CALLEE.match("".join(source.split()))
    return None if match is None else (match["receiver"], match["name"])


def _go_receiver_name(method: Node) -> str:
    receiver = method.child_by_field_name("receiver")
    parameter = receiver.named_children[0] if receiver and receiver.named_children else None
    name = parameter.child_by_field_name("name") if parameter is not None else None
    return text(name) or "\0"


def _same_folder(a: Definition, b: Definition) -> bool:
    return posixpath.dirname(a.file.path) == posixpath.dirname(b.file.path)
