"""`@fastify/autoload`: every plugin file under a folder, registered with its folder's path.

`register(autoLoad, { dir: path.join(__dirname, 'routes'), options: { prefix: '/api' } })`
loads each script under `routes/`; a folder holding an `index` file contributes only that file
(and its sub-folders). A plugin in `routes/users/` serves under `/api/users`, unless it exports
`autoPrefix`, which replaces the folder path; with `routeParams`, a folder `_id` is `{id}`.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from tree_sitter import Node

from apiscope.analysis.discovery.frameworks.js_mounts import FileScan
from apiscope.analysis.discovery.frameworks.js_router_graph import join_js
from apiscope.analysis.discovery.frameworks.js_strings import constant_string
from apiscope.analysis.discovery.frameworks.js_value_types import Created, Param, Ref
from apiscope.analysis.discovery.js_ast import (
    FUNCTION_TYPES,
    call_arguments,
    is_test_path,
    object_property,
)

_SCRIPTS = (".js", ".cjs", ".mjs", ".ts", ".cts", ".mts")
_HOOKS = "autohooks"


def autoload(scan: FileScan, options: Ref) -> Iterator[tuple[Param, str]]:
    """Each autoloaded plugin's instance parameter, with the prefix it serves under."""
    folder = _folder(scan, options)
    if folder is None:
        return
    inner = scan.values.value(
        options.path, object_property(options.node, "options") or options.node
    )
    base = _option_string(scan, inner, "prefix") if isinstance(inner, Ref) else ""
    by_folder = _scripts(scan, folder)
    params = _flag(options.node, "routeParams", default=False)
    folders_prefix = _flag(options.node, "dirNameRoutePrefix", default=True)
    for path in _loaded(by_folder, folder):
        plugin = _plugin(scan, path)
        if plugin is not None:
            relative = posixpath.relpath(posixpath.dirname(path), folder) if folders_prefix else "."
            own = _option_string(scan, Ref(path, scan.values.modules.file(path).root), "autoPrefix")
            yield plugin, join_js(base, own or _folder_prefix(relative, params))


def _folder(scan: FileScan, options: Ref) -> str | None:
    """`dir`: the literal parts of `path.join(__dirname, 'routes')`, relative to the file."""
    node = object_property(options.node, "dir")
    if node is None:
        return None
    parts = [p for p in _fragments(node) if p not in ("", ".")]
    here = posixpath.dirname(options.path)
    return posixpath.normpath(posixpath.join(here, *parts)) if parts else None


def _fragments(node: Node) -> Iterator[str]:
    if node.type == "string_fragment" and node.text is not None:
        yield node.text.decode(errors="replace")
    for child in node.named_children:
        yield from _fragments(child)


def _scripts(scan: FileScan, folder: str) -> dict[str, list[str]]:
    """The plugin scripts under `folder`, grouped by the folder that holds them."""
    found: dict[str, list[str]] = {}
    prefix = "" if folder == "." else folder + "/"
    for path in sorted(scan.values.modules.files):
        name = posixpath.basename(path)
        script = path.endswith(_SCRIPTS) and not path.endswith(".d.ts")
        inside = path.startswith(prefix) and not is_test_path(path[len(prefix) :])
        if script and inside and not name.startswith((_HOOKS, ".")):
            found.setdefault(posixpath.dirname(path), []).append(path)
    return found


def _loaded(by_folder: dict[str, list[str]], folder: str) -> Iterator[str]:
    """A folder with an `index` script loads only that one; its sub-folders load as usual."""
    for holder, paths in sorted(by_folder.items()):
        if holder == folder or holder.startswith("" if folder == "." else folder + "/"):
            index = [p for p in paths if posixpath.basename(p).split(".")[0] == "index"]
            yield from index[:1] or paths


def _plugin(scan: FileScan, path: str) -> Param | None:
    """The instance parameter of a file's exported plugin function."""
    value = scan.values.default_value(path)
    if isinstance(value, Created) and value.factory.package == "fastify-plugin":
        inner = call_arguments(value.node)
        value = scan.values.value(value.path, inner[0]) if inner else None
    if isinstance(value, Ref) and value.node.type in FUNCTION_TYPES:
        return Param(value.path, value.node, 0)
    return None


def _option_string(scan: FileScan, holder: Ref, key: str) -> str:
    """A string property of an options object, or an exported string of a module (`autoPrefix`)."""
    if holder.node.type == "program":
        value = scan.values.export(holder.path, key)
        return (
            (constant_string(scan.values, value.path, value.node) or "")
            if isinstance(value, Ref)
            else ""
        )
    node = object_property(holder.node, key) if holder.node.type == "object" else None
    return (constant_string(scan.values, holder.path, node) or "") if node is not None else ""


def _flag(options: Node, key: str, default: bool) -> bool:
    node = object_property(options, key)
    return default if node is None else node.text == b"true"


def _folder_prefix(relative: str, params: bool) -> str:
    segments = [] if relative == "." else relative.split("/")
    if params:
        segments = [f":{s[1:]}" if s.startswith("_") else s for s in segments]
    return "/".join(segments)
