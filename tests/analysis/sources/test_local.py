"""Local folders: read in place, described by git when they are a work tree."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from apiscope.analysis.sources import SourceOptions, open_source
from apiscope.errors import SourceError
from tests.analysis.sources.conftest import GitRepo


async def test_a_plain_folder_is_read_in_place(tmp_path: Path, options: SourceOptions) -> None:
    """No git: the folder itself, no branch, no commit, nothing copied to the cache."""
    folder = tmp_path / "code"
    folder.mkdir()
    checked = await open_source(str(folder), None, options)
    assert (checked.root, checked.branch, checked.commit) == (folder.resolve(), None, None)
    assert (checked.source, checked.repo) == ("local", str(folder.resolve()))
    assert not options.cache_dir.exists()


async def test_a_work_tree_reports_its_branch_and_commit(
    git_repo: GitRepo, options: SourceOptions
) -> None:
    """A git work tree is still read in place, and says which commit it is at."""
    checked = await open_source(str(git_repo.path), None, options)
    assert checked.root == git_repo.path.resolve()
    assert (checked.branch, checked.commit) == ("main", git_repo.main_sha)


async def test_a_branch_of_a_local_repository_is_cloned(
    git_repo: GitRepo, options: SourceOptions
) -> None:
    """--branch on a local repository reads that branch without touching the work tree."""
    (git_repo.path / "uncommitted.py").write_text("wip\n")
    checked = await open_source(str(git_repo.path), "feature/login", options)
    assert checked.commit == git_repo.feature_sha
    assert (checked.root / "login.py").is_file()
    assert not (checked.root / "uncommitted.py").exists()
    assert (git_repo.path / "uncommitted.py").is_file()


async def test_a_branch_needs_a_repository(tmp_path: Path, options: SourceOptions) -> None:
    """--branch on a folder that is not a git repository is refused, not ignored."""
    with pytest.raises(SourceError, match="--branch needs the top folder of a git repository"):
        await open_source(str(tmp_path), "main", options)


@pytest.mark.parametrize("kind", ["missing", "file", "loop"])
async def test_bad_paths_are_one_line_errors(
    tmp_path: Path, options: SourceOptions, kind: str
) -> None:
    """A missing path, a file, or a symlink loop: a SourceError naming the path."""
    path = tmp_path / "target"
    if kind == "file":
        path.write_text("not a folder")
    elif kind == "loop":
        os.symlink(path, path)
    with pytest.raises(SourceError, match=f"{path}$") as raised:
        await open_source(str(path), None, options)
    assert "\n" not in str(raised.value)
