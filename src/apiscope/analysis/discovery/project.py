"""A repository as discoverers see it: its source files by language, parsed once on demand.

Vendored and dependency folders are skipped; files too large, binary or undecodable are skipped
and counted, so the output's stats say what was left out.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Collection, Iterator
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
    _by_path: dict[str, SourceFile] = field(default_factory=dict, init=False, repr=False)

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
        # A file name that is not UTF-8 is shown with replacement characters, not as surrogates
        # that would break JSON consumers and terminals later.
        relative = os.fsencode(path.relative_to(self.root).as_posix()).decode("utf-8", "replace")
        self.files.append(SourceFile(relative, language or "ruby", source))

    def of(self, *languages: str) -> Iterator[SourceFile]:
        """The files in any of these languages, in path order."""
        return (f for f in self.files if f.language in languages)

    def get(self, path: str) -> SourceFile | None:
        """A file by its relative path (indexed: discoverers look files up in loops)."""
        if len(self._by_path) != len(self.files):
            self._by_path = {f.path: f for f in self.files}
        return self._by_path.get(path)

    def keep_trees(self, languages: Collection[str]) -> None:
        """Free the parsed trees of files in other languages (they are parsed again if asked for):
        the trees of a million lines take gigabytes, one language's share a fraction of that."""
        for file in self.files:
            if file.language not in languages:
                file.__dict__.pop("tree", None)  # where `cached_property` keeps it

    @property
    def lines(self) -> int:
        """Source lines read, for throughput figures."""
        unterminated = sum(1 for f in self.files if f.source and not f.source.endswith(b"\n"))
        return sum(f.source.count(b"\n") for f in self.files) + unterminated


def _walk(root: Path) -> Iterator[Path]:
    """Files under root in a stable order; skipped folders and symlinked folders not entered."""
    for folder, dirs, names in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.endswith(".egg-info"))
        for name in sorted(names):
            path = Path(folder, name)
            if not path.is_symlink():
                yield path
