"""A repository as discoverers see it: its source files by language, parsed once on demand.

Vendored and dependency folders are skipped; files too large, binary or undecodable are skipped
and counted, so the output's stats say what was left out.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from tree_sitter import Language, Node, Parser, Tree

from apiscope.analysis.discovery.languages import LANGUAGE_BY_SUFFIX, load_language

SKIPPED_DIRS = frozenset(
    {".git", ".hg", ".svn", "node_modules", "vendor", "third_party", "bower_components",
     ".venv", "venv", "env", "site-packages", "__pycache__", "dist", "build", "target",
     ".next", ".nuxt", "bin", "obj", ".gradle", ".idea", ".tox", ".mypy_cache", "coverage"}
)  # fmt: skip
MAX_FILE_BYTES = 2 * 1024 * 1024


@dataclass
class SourceFile:
    """One source file: its path relative to the root, language and bytes."""

    path: str
    language: str
    source: bytes

    @cached_property
    def tree(self) -> Tree:
        """The syntax tree (tree-sitter recovers from errors; what parses is kept)."""
        return Parser(Language(load_language(self.language))).parse(self.source)

    @property
    def root(self) -> Node:
        """The tree's root node."""
        return self.tree.root_node

    def text(self, node: Node) -> str:
        """The source text of a node."""
        return self.source[node.start_byte : node.end_byte].decode("utf-8", "replace")


@dataclass
class Project:
    """All source files of a repository, grouped by language."""

    root: Path
    files: list[SourceFile] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)

    @classmethod
    def scan(cls, root: Path) -> Project:
        """Read every source file under `root` that a discoverer may need."""
        project = cls(root)
        for path in _walk(root):
            project._add(path)
        return project

    def _add(self, path: Path) -> None:
        language = LANGUAGE_BY_SUFFIX.get(path.suffix.lower())
        if language is None and path.name not in ("routes.rb",):
            return
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                self.skipped["too large"] += 1
                return
            source = path.read_bytes()
        except OSError:
            self.skipped["unreadable"] += 1
            return
        if b"\0" in source[:8192]:
            self.skipped["binary"] += 1
            return
        relative = path.relative_to(self.root).as_posix()
        self.files.append(SourceFile(relative, language or "ruby", source))

    def of(self, *languages: str) -> Iterator[SourceFile]:
        """The files in any of these languages, in path order."""
        return (f for f in self.files if f.language in languages)

    def get(self, path: str) -> SourceFile | None:
        """A file by its relative path."""
        return next((f for f in self.files if f.path == path), None)


def _walk(root: Path) -> Iterator[Path]:
    """Files under root in a stable order; skipped folders and symlinked folders not entered."""
    for folder, dirs, names in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.endswith(".egg-info"))
        for name in sorted(names):
            path = Path(folder, name)
            if not path.is_symlink():
                yield path
