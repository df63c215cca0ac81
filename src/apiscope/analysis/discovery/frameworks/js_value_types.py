"""The values a JS/TS expression can stand for, as `js_values.Values` resolves them.

Plain frozen records: a node standing for itself, something from a package, a project module,
a function parameter, what a package's factory created, an instance of a project class.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tree_sitter import Node


@dataclass(frozen=True)
class Ref:
    """A syntax node standing for itself: a function, class, object, array or string."""

    path: str
    node: Node


@dataclass(frozen=True)
class External:
    """Something from a package, e.g. `express` itself or `express.Router`."""

    package: str
    members: tuple[str, ...] = ()


@dataclass(frozen=True)
class Module:
    """A project file used as a namespace (`import * as routes`, `require` of `exports.x = …`)."""

    path: str


@dataclass(frozen=True)
class Param:
    """A function's parameter: whatever callers pass in (a Fastify plugin's instance, ...);
    `key` names the property when the parameter is destructured (`({ app }) => …`)."""

    path: str
    function: Node
    index: int
    key: str | None = None


@dataclass(frozen=True)
class Created:
    """The result of calling a package's export: `express()`, `new Router()`, `fastify()`."""

    path: str
    node: Node
    factory: External


@dataclass(frozen=True)
class Instance:
    """`new LocalClass()` or `this` in its methods: fields resolve through the class body."""

    path: str
    cls: Node


Value = Ref | External | Module | Param | Created | Instance
Env = Mapping[str, tuple[str, Node]]
"""Names bound for one pass over a loop or `forEach` callback: name → (file, expression)."""
