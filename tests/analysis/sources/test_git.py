"""Git URLs: real repositories made with `git init` in tmp_path, cloned through file:// URLs."""

from __future__ import annotations

from pathlib import Path

import pytest

from apiscope.analysis.sources import SourceOptions, open_source
from apiscope.errors import SourceError
from tests.analysis.sources.conftest import GitRepo, git


async def test_default_branch_is_the_remote_head(git_repo: GitRepo, options: SourceOptions) -> None:
    """Without a branch, the remote's HEAD branch is cloned and reported with its commit."""
    checked = await open_source(git_repo.url, None, options)
    assert (checked.branch, checked.commit, checked.source) == ("main", git_repo.main_sha, "git")
    assert (checked.root / "main_only.py").is_file()
    assert not (checked.root / ".git").exists()
    assert checked.root.is_relative_to(options.cache_dir)


async def test_a_named_branch_with_a_slash(git_repo: GitRepo, options: SourceOptions) -> None:
    """`feature/login` is cloned at its own commit, with its own files."""
    checked = await open_source(git_repo.url, "feature/login", options)
    assert (checked.branch, checked.commit) == ("feature/login", git_repo.feature_sha)
    assert (checked.root / "login.py").is_file()
    assert not (checked.root / "main_only.py").exists()


async def test_an_annotated_tag_resolves_to_its_commit(
    git_repo: GitRepo, options: SourceOptions
) -> None:
    """A tag works as a branch, and the commit reported is the tagged commit, not the tag object."""
    checked = await open_source(git_repo.url, "v1.0", options)
    assert checked.commit == git_repo.tag_sha
    assert sorted(p.name for p in checked.root.iterdir()) == ["app.py"]


async def test_a_missing_branch_is_one_clear_error(
    git_repo: GitRepo, options: SourceOptions
) -> None:
    """A branch the remote does not have says so, naming both."""
    with pytest.raises(SourceError, match=r"branch 'nope' not found in file://"):
        await open_source(git_repo.url, "nope", options)


async def test_a_missing_repository_passes_on_gits_reason(
    tmp_path: Path, options: SourceOptions
) -> None:
    """git's own one-line reason is kept, so the user sees what git saw."""
    with pytest.raises(SourceError, match="does not appear to be a git repository"):
        await open_source((tmp_path / "nothing.git").as_uri(), None, options)


async def test_an_empty_repository_is_one_clear_error(
    tmp_path: Path, options: SourceOptions
) -> None:
    """A repository without commits has nothing to analyse, and the error says that."""
    empty = tmp_path / "empty.git"
    empty.mkdir()
    git("init", "-q", "--bare", cwd=empty)
    with pytest.raises(SourceError, match="is empty: it has no commits"):
        await open_source(empty.as_uri(), None, options)


async def test_the_same_commit_is_served_from_the_cache(
    git_repo: GitRepo, options: SourceOptions
) -> None:
    """A second open of an unchanged branch reuses the tree; a new commit gets a new one."""
    first = await open_source(git_repo.url, None, options)
    again = await open_source(git_repo.url, None, options)
    assert (again.cached, again.root) == (True, first.root)
    newer = git_repo.commit("later.py", "x\n")
    moved = await open_source(git_repo.url, None, options)
    assert (moved.cached, moved.commit) == (False, newer)
    assert (moved.root / "later.py").is_file()
    assert not (first.root / "later.py").exists()
    assert list((options.cache_dir / ".staging").iterdir()) == []


async def test_a_path_with_spaces_is_cloned(tmp_path: Path, options: SourceOptions) -> None:
    """file:// URLs are percent-encoded, and git decodes them."""
    origin = tmp_path / "my repos" / "svc"
    origin.mkdir(parents=True)
    git("init", "-q", "-b", "trunk", cwd=origin)
    repo = GitRepo(origin, "", "", "")
    sha = repo.commit("a.py", "a\n")
    checked = await open_source(origin.as_uri(), None, options)
    assert (checked.branch, checked.commit) == ("trunk", sha)
