"""Unpacked repositories kept by commit SHA, so analysing the same commit twice downloads once.

An entry appears whole or not at all: it is built in a staging folder on the same file system and
renamed into place, so a crash, a refused archive or two processes racing for the same commit
never leave a half-written tree where a reader would take it for complete.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from apiscope.errors import SourceError

STALE_SECONDS = 24 * 3600
"""A staging folder this old belongs to a process that died; it is removed."""
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


class RepoCache:
    """A folder of `<key...>/<sha>` trees."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def entry(self, key: Sequence[str], sha: str) -> Path:
        """Where the tree of `sha` for the repository `key` lives (whether or not it exists)."""
        if not _SHA.fullmatch(sha):
            raise SourceError(f"not a commit SHA: {sha!r}")
        return self.root.joinpath(*(_slug(part) for part in key), sha)

    def get(self, key: Sequence[str], sha: str) -> Path | None:
        """The cached tree, if a complete one is there."""
        path = self.entry(key, sha)
        return path if path.is_dir() else None

    @contextmanager
    def staging(self) -> Iterator[Path]:
        """A fresh empty folder next to the cache, removed afterwards (with whatever is left)."""
        base = self.root / ".staging"
        try:
            base.mkdir(parents=True, exist_ok=True)
            _sweep(base)
            stage = Path(tempfile.mkdtemp(dir=base))
        except OSError as exc:
            raise SourceError(f"cannot write the repository cache {self.root}: {exc}") from exc
        try:
            yield stage
        finally:
            shutil.rmtree(stage, ignore_errors=True)

    def put(self, key: Sequence[str], sha: str, tree: Path) -> Path:
        """Move a finished tree into place; if another process got there first, keep theirs."""
        final = self.entry(key, sha)
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            os.rename(tree, final)
        except OSError as exc:
            if not final.is_dir():
                raise SourceError(f"cannot write the repository cache {self.root}: {exc}") from exc
        return final


def _slug(part: str) -> str:
    """One safe path component: no separators, never `.` or `..`."""
    return _UNSAFE.sub("_", part).lstrip(".") or "_"


def _sweep(base: Path) -> None:
    cutoff = time.time() - STALE_SECONDS
    for old in base.iterdir():
        try:
            if old.stat().st_mtime < cutoff:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            continue
