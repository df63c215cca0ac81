"""A folder on this machine: read in place, with its branch and commit when it is a git work tree.

With a branch asked for, the folder must be a git repository, and that branch is cloned from it
into the cache, so the work tree (and any uncommitted change in it) is left alone.
"""

from __future__ import annotations

from pathlib import Path

from apiscope.analysis.sources.cache import RepoCache
from apiscope.analysis.sources.checkout import CheckedOut, SourceOptions
from apiscope.analysis.sources.git import open_git, run_git
from apiscope.analysis.sources.spec import GitSpec, LocalSpec
from apiscope.errors import SourceError

_GIT_INFO_TIMEOUT = 30.0


async def open_local(
    spec: LocalSpec, branch: str | None, options: SourceOptions, cache: RepoCache
) -> CheckedOut:
    """The folder itself, or with `branch` a clone of that branch of the repository there."""
    root = _existing_folder(spec.path)
    top = await _work_tree_top(root)
    if branch is not None:
        if top != root:
            raise SourceError(f"--branch needs the top folder of a git repository: {spec.path}")
        return await open_git(GitSpec(root.as_uri(), str(root)), branch, options, cache)
    current, commit = await _head(root) if top is not None else (None, None)
    return CheckedOut(root, str(root), current, commit, "local")


def _existing_folder(path: Path) -> Path:
    try:
        if not path.exists():
            raise SourceError(f"repository path not found: {path}")
        if not path.is_dir():
            raise SourceError(f"repository path is not a folder: {path}")
        return path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:  # permission denied, a symlink loop
        raise SourceError(f"cannot read repository path {path}: {exc}") from exc


async def _work_tree_top(root: Path) -> Path | None:
    """The top folder of the git work tree `root` is in, or None when it is in none."""
    try:
        out = await run_git(
            "-C", str(root), "rev-parse", "--show-toplevel", timeout=_GIT_INFO_TIMEOUT
        )
    except SourceError:
        return None
    return Path(out.strip())  # git prints it with symlinks resolved, as `root` is


async def _head(root: Path) -> tuple[str | None, str | None]:
    """The checked-out branch (None when detached) and commit (None before the first commit)."""
    try:
        out = await run_git(
            "-C", str(root), "rev-parse", "HEAD", "--abbrev-ref", "HEAD", timeout=_GIT_INFO_TIMEOUT
        )
    except SourceError:
        return None, None
    commit, _, branch = out.strip().partition("\n")
    return (branch if branch != "HEAD" else None), commit
