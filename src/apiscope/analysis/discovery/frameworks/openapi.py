"""OpenAPI 3 and Swagger 2 documents kept in the repository (`openapi.yaml`, `swagger.json`,
`docs/api.yml`, ...): one route per operation under `paths`, at the line of its path key.

Candidates are the JSON and YAML files that declare an `openapi` or `swagger` key; a file is
used when its top level also has a `paths` mapping. PyYAML's composer reads both
formats (JSON is YAML once its indenting tabs are spaces) and keeps the line of every node.
Paths are taken as written, without `basePath` or server URLs; the handler is the
`operationId`. Documents under test folders are fixtures, not the application's API.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import yaml

from apiscope.analysis.discovery.base import Discoverer
from apiscope.analysis.discovery.languages import LANGUAGE_BY_SUFFIX
from apiscope.analysis.discovery.paths import brace_params, join_paths
from apiscope.analysis.discovery.project import MAX_FILE_BYTES, SKIPPED_DIRS, Project
from apiscope.analysis.discovery.python_ast import is_test_file
from apiscope.analysis.routes import Route

_SUFFIXES = (".json", ".yaml", ".yml")
_YAML_DECLARATION = re.compile(rb"""^["']?(?:openapi|swagger)["']?[ \t]*:""", re.MULTILINE)
"""A top-level key, so at the start of a line."""
_JSON_DECLARATION = re.compile(rb""""(?:openapi|swagger)"\s*:\s*"[0-9]""")
"""Anywhere: generators that sort keys put `components` (or `definitions`) first."""
_OPERATIONS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's composer when PyYAML was built with it: the same nodes, much faster."""


class OpenAPIDiscoverer:
    """Operations declared by OpenAPI/Swagger documents."""

    name = "openapi"
    languages = tuple(sorted(set(LANGUAGE_BY_SUFFIX.values())))
    """Documents are not source files: run whenever the project has any source at all."""

    def discover(self, project: Project) -> Iterable[Route]:
        """Every operation of every document found under the project's root."""
        routes: list[Route] = []
        for path in documents(project.root):
            source = _read_document(path)
            if source is not None:
                routes.extend(operations(source, path.relative_to(project.root).as_posix()))
        return routes


def documents(root: Path) -> Iterator[Path]:
    """The JSON and YAML files under `root`, vendored and test folders left out."""
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.startswith("."))
        for name in sorted(names):
            path = Path(folder, name)
            if path.suffix.lower() in _SUFFIXES and not is_test_file(
                path.relative_to(root).as_posix()
            ):
                yield path


def _read_document(path: Path) -> bytes | None:
    """The file's bytes if it declares itself an OpenAPI or Swagger document."""
    try:
        if path.is_symlink() or path.stat().st_size > MAX_FILE_BYTES:
            return None
        source = path.read_bytes()
    except OSError:
        return None
    pattern = _JSON_DECLARATION if path.suffix.lower() == ".json" else _YAML_DECLARATION
    return source if pattern.search(source) else None


def operations(source: bytes, file: str) -> list[Route]:
    """The operations of one document; none when it does not parse or has no `paths`."""
    try:
        text = source.decode("utf-8-sig")
        if file.endswith(".json"):
            text = text.replace("\t", " ")  # a raw tab is only ever whitespace in JSON
        document = yaml.compose(text, Loader=_LOADER)
    except (UnicodeDecodeError, yaml.YAMLError):
        return []
    paths = _mapping(document).get("paths")
    if paths is None or not isinstance(paths, yaml.MappingNode):
        return []
    return list(_operations(paths, file))


def _operations(paths: yaml.MappingNode, file: str) -> Iterator[Route]:
    for key, item in paths.value:
        if not isinstance(key, yaml.ScalarNode) or not key.value.startswith("/"):
            continue
        path = brace_params(join_paths(key.value))
        line = key.start_mark.line + 1
        for method, operation in _mapping(item).items():
            if method.lower() in _OPERATIONS:
                handler = _scalar(_mapping(operation).get("operationId")) or "anonymous"
                yield Route(path, method.upper(), file, line, handler, "openapi")


def _mapping(node: yaml.Node | None) -> dict[str, yaml.Node]:
    """A mapping node's entries by scalar key; anything else is empty."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _scalar(node: yaml.Node | None) -> str | None:
    return str(node.value) if isinstance(node, yaml.ScalarNode) and node.value else None


DISCOVERERS: tuple[Discoverer, ...] = (OpenAPIDiscoverer(),)
