"""Symfony route declarations on one class or method: `#[Route]` attributes and the `@Route`
(and SensioFrameworkExtraBundle `@Method`) annotations of the docblock just above it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tree_sitter import Node

from apiscope.analysis.discovery.php_ast import (
    Link,
    array_items,
    attributes_of,
    line_of,
    string_value,
    strings,
)
from apiscope.analysis.discovery.project import SourceFile

_ANNOTATION = re.compile(r"@(?:\w+\\)*Route\s*\(")
_FIRST_STRING = re.compile(r'\s*"([^"]*)"')
_PATH_KEY = re.compile(r'\bpath\s*=\s*"([^"]*)"')
_METHODS_KEY = re.compile(r'\bmethods\s*=\s*(?:\{([^}]*)\}|"([^"]*)")')
_METHOD_ANNOTATION = re.compile(r'@Method\s*\(\s*(?:\{([^}]*)\}|"([^"]*)")')
_QUOTED = re.compile(r'"([^"]*)"')

Path = tuple[str | None, str]
"""A path and its locale (None unless the route is localised)."""


@dataclass(frozen=True)
class Declared:
    """One route declaration: its paths (one per locale), its methods and its line."""

    paths: tuple[Path, ...]
    methods: tuple[str, ...]
    line: int


def declarations(file: SourceFile, declaration: Node) -> list[Declared]:
    """Every route declared on a class or method, attributes first."""
    found = [_attribute(file, a) for a in attributes_of(file, declaration) if a.name == "Route"]
    return found + _docblock(file, declaration)


def _attribute(file: SourceFile, attribute: Link) -> Declared:
    path = attribute.arg(0, "path")
    localised = array_items(file, path)
    if localised is not None:
        paths = [(k, p) for k, v in localised if (p := string_value(file, v)) is not None]
    else:
        paths = [(None, string_value(file, path) or "")] if path is not None else [(None, "")]
    methods = strings(file, attribute.named("methods")) or []
    return Declared(tuple(paths), _upper(methods), line_of(attribute.node))


def _upper(methods: list[str]) -> tuple[str, ...]:
    """`['get', 'POST|PUT']` → (GET, POST, PUT)."""
    return tuple(m.strip().upper() for text in methods for m in text.split("|") if m.strip())


def _docblock(file: SourceFile, declaration: Node) -> list[Declared]:
    """`@Route("/x", methods={"GET"})` in the `/** ... */` comment right before a declaration."""
    comment = declaration.prev_named_sibling
    if comment is None or comment.type != "comment" or not file.text(comment).startswith("/**"):
        return []
    text = file.text(comment)
    sensio = _listed(_METHOD_ANNOTATION.search(text))
    found: list[Declared] = []
    for match in _ANNOTATION.finditer(text):
        arguments = _arguments(text, match.end())
        first, keyed = _FIRST_STRING.match(arguments), _PATH_KEY.search(arguments)
        path = first.group(1) if first else keyed.group(1) if keyed else ""
        methods = _listed(_METHODS_KEY.search(arguments)) + sensio
        line = line_of(comment) + text.count("\n", 0, match.start())
        found.append(Declared(((None, path),), _upper(methods), line))
    return found


def _listed(match: re.Match[str] | None) -> list[str]:
    """`{"GET", "POST"}` or `"GET"` as captured by a methods pattern."""
    if match is None:
        return []
    return _QUOTED.findall(match.group(1)) if match.group(1) is not None else [match.group(2)]


def _arguments(text: str, start: int) -> str:
    """The text inside an annotation's parentheses, nested braces and strings included."""
    depth, index, quoted = 1, start, False
    while index < len(text) and depth:
        char = text[index]
        quoted = not quoted if char == '"' else quoted
        if not quoted:
            depth += {"(": 1, ")": -1}.get(char, 0)
        index += 1
    return text[start : index - 1]
