"""Import aliases from `tsconfig.json` / `jsconfig.json`: `@/routes/users` → `src/routes/users`.

TypeScript apps often import their own files through `compilerOptions.paths` or `baseUrl`
instead of relative paths; following a router across files needs the same mapping. Each config
applies to the files below its folder, the nearest config first, as tsc does for a project.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Container, Iterable
from dataclasses import dataclass
from pathlib import Path

from apiscope.analysis.discovery.js_ast import first_source

_CONFIG_NAMES = ("tsconfig.json", "jsconfig.json")
_JSON_NOISE = re.compile(r'("(?:\\.|[^"\\])*")|//[^\n]*|/\*.*?\*/', re.S)
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


@dataclass(frozen=True)
class Alias:
    """One `paths` entry (or `baseUrl` as `*`) of the config in `folder`."""

    folder: str
    pattern: str
    targets: tuple[str, ...]

    def resolve(self, known: Container[str], importer: str, specifier: str) -> str | None:
        """The project file `specifier` names through this alias, if it applies."""
        if not importer.startswith(self.folder) or not _matches(self.pattern, specifier):
            return None
        rest = specifier[len(self.pattern) - 1 :] if self.pattern.endswith("*") else ""
        for target in self.targets:
            found = first_source(known, posixpath.normpath(target.replace("*", rest)))
            if found is not None:
                return found
        return None


def read_aliases(root: Path, paths: Iterable[str]) -> list[Alias]:
    """The aliases of every config in a folder holding (or above) a source file, nearest first."""
    folders = {""}
    for path in paths:
        while path:
            path = posixpath.dirname(path)
            folders.add(path)
    aliases: list[Alias] = []
    for folder in sorted(folders, key=len, reverse=True):
        for name in _CONFIG_NAMES:
            aliases += _config_aliases(folder, _compiler_options(root / folder / name))
    return aliases


def _config_aliases(folder: str, options: dict[str, object]) -> list[Alias]:
    base = posixpath.join(folder, str(options.get("baseUrl", ".")))
    scope = f"{folder}/" if folder else ""
    paths = options.get("paths")
    aliases = [
        Alias(scope, pattern, tuple(posixpath.join(base, str(t)) for t in targets))
        for pattern, targets in (paths.items() if isinstance(paths, dict) else ())
        if isinstance(targets, list)
    ]
    if "baseUrl" in options:  # a bare `routes/users` resolves against baseUrl
        aliases.append(Alias(scope, "*", (posixpath.join(base, "*"),)))
    return aliases


def _compiler_options(path: Path) -> dict[str, object]:
    """A config's compilerOptions; JSON with comments and trailing commas, as tsc reads it."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    clean = _TRAILING_COMMA.sub(r"\1", _JSON_NOISE.sub(lambda m: m.group(1) or "", text))
    try:
        config = json.loads(clean)
    except ValueError:
        return {}
    options = config.get("compilerOptions") if isinstance(config, dict) else None
    return options if isinstance(options, dict) else {}


def _matches(pattern: str, specifier: str) -> bool:
    return specifier.startswith(pattern[:-1]) if pattern.endswith("*") else specifier == pattern
