"""The SHA-keyed cache: entries appear whole or not at all, and a lost race keeps the winner."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from apiscope.analysis.sources.cache import STALE_SECONDS, RepoCache
from apiscope.errors import SourceError

SHA = "c" * 40
KEY = ("github", "api.github.com", "octo", "shop")


def test_an_entry_appears_only_when_put(tmp_path: Path) -> None:
    """While a tree is being built it is invisible; after put it is found, and staging is gone."""
    cache = RepoCache(tmp_path / "cache")
    with cache.staging() as stage:
        (stage / "tree").mkdir()
        (stage / "tree" / "a.py").write_text("a")
        assert cache.get(KEY, SHA) is None
        root = cache.put(KEY, SHA, stage / "tree")
    assert cache.get(KEY, SHA) == root
    assert (root / "a.py").read_text() == "a"
    assert list((tmp_path / "cache" / ".staging").iterdir()) == []


def test_a_lost_race_keeps_the_first_tree(tmp_path: Path) -> None:
    """Two builders of one commit: the second's rename fails quietly and the first tree stays."""
    cache = RepoCache(tmp_path / "cache")
    with cache.staging() as first, cache.staging() as second:
        for stage, text in ((first, "first"), (second, "second")):
            (stage / "tree").mkdir()
            (stage / "tree" / "who").write_text(text)
        winner = cache.put(KEY, SHA, first / "tree")
        assert cache.put(KEY, SHA, second / "tree") == winner
    assert (winner / "who").read_text() == "first"


def test_a_failed_build_leaves_nothing(tmp_path: Path) -> None:
    """An exception inside staging removes the half-built tree."""
    cache = RepoCache(tmp_path / "cache")
    kept: list[Path] = []

    def build() -> None:
        with cache.staging() as stage:
            (stage / "half.py").write_text("x")
            kept.append(stage)
            raise RuntimeError("download failed")

    with pytest.raises(RuntimeError):
        build()
    assert not kept[0].exists()
    assert list((tmp_path / "cache" / ".staging").iterdir()) == []


def test_stale_staging_folders_are_swept(tmp_path: Path) -> None:
    """A staging folder left by a process that died a day ago is removed by the next build."""
    cache = RepoCache(tmp_path / "cache")
    stale = tmp_path / "cache" / ".staging" / "dead"
    stale.mkdir(parents=True)
    old = time.time() - STALE_SECONDS - 60
    os.utime(stale, (old, old))
    with cache.staging():
        assert not stale.exists()


def test_keys_and_shas_cannot_leave_the_cache(tmp_path: Path) -> None:
    """Key parts are made into single safe names, and a SHA must be hex."""
    cache = RepoCache(tmp_path / "cache")
    entry = cache.entry(("..", "a/../../b", ""), SHA)
    assert entry == tmp_path / "cache" / "_" / "a_.._.._b" / "_" / SHA
    with pytest.raises(SourceError, match="not a commit SHA"):
        cache.entry(KEY, "../../etc")


def test_an_unwritable_cache_is_a_source_error(tmp_path: Path) -> None:
    """A cache folder that cannot be created is explained, not a traceback."""
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with (
        pytest.raises(SourceError, match="cannot write the repository cache"),
        RepoCache(blocker / "cache").staging(),
    ):
        pass
