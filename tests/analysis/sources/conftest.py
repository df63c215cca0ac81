"""Real tar archives and real git repositories built in tmp_path, and the fake GitHub server."""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from apiscope.analysis.sources import SourceOptions
from tests.analysis.sources.fake_github import FakeGitHub

GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def entry(
    name: str, data: bytes = b"", *, kind: bytes = tarfile.REGTYPE, link: str = "", size: int = -1
) -> tuple[tarfile.TarInfo, bytes]:
    """One archive entry; `size` may lie about the data, as a hostile archive's header can."""
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = link
    info.size = len(data) if size < 0 else size
    info.mode = 0o755 if kind == tarfile.DIRTYPE else 0o644
    return info, data


def make_tarball(path: Path, entries: list[tuple[tarfile.TarInfo, bytes]]) -> Path:
    """A .tar.gz with exactly these entries, in this order."""
    with tarfile.open(path, "w:gz") as tar:
        for info, data in entries:
            tar.addfile(info, io.BytesIO(data) if info.isreg() else None)
    return path


def github_tarball(path: Path, files: dict[str, str], top: str = "owner-repo-abc1234") -> Path:
    """A tarball shaped like GitHub's: everything under one top folder."""
    entries = [entry(f"{top}/", kind=tarfile.DIRTYPE)]
    entries += [entry(f"{top}/{name}", text.encode()) for name, text in files.items()]
    return make_tarball(path, entries)


def git(*args: str, cwd: Path) -> str:
    """Run git in `cwd` with a fixed identity and no user configuration."""
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=GIT_ENV, check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


@dataclass
class GitRepo:
    """A real repository on disk with commits on `main`, a `feature/login` branch and a tag."""

    path: Path
    main_sha: str
    feature_sha: str
    tag_sha: str

    @property
    def url(self) -> str:
        return self.path.as_uri()

    def commit(self, name: str, text: str) -> str:
        """Add a commit on the current branch; its SHA."""
        (self.path / name).write_text(text)
        git("add", name, cwd=self.path)
        git("commit", "-q", "-m", f"add {name}", cwd=self.path)
        return git("rev-parse", "HEAD", cwd=self.path)


def make_git_repo(path: Path) -> GitRepo:
    """`main` (3 commits), `feature/login` branching off after the first, and tag `v1.0`."""
    path.mkdir()
    git("init", "-q", "-b", "main", cwd=path)
    repo = GitRepo(path, "", "", "")
    repo.commit("app.py", "print('v1')\n")
    repo.tag_sha = git("rev-parse", "HEAD", cwd=path)
    git("tag", "-a", "v1.0", "-m", "release", cwd=path)
    git("checkout", "-q", "-b", "feature/login", cwd=path)
    repo.feature_sha = repo.commit("login.py", "print('login')\n")
    git("checkout", "-q", "main", cwd=path)
    repo.main_sha = repo.commit("main_only.py", "print('main')\n")
    return repo


@pytest.fixture
def git_repo(tmp_path: Path) -> GitRepo:
    return make_git_repo(tmp_path / "origin")


@pytest.fixture
def options(tmp_path: Path) -> SourceOptions:
    """Trusted (CLI) options with the cache in tmp_path."""
    return SourceOptions(cache_dir=tmp_path / "cache")


@pytest.fixture
def github(tmp_path: Path) -> Iterator[FakeGitHub]:
    with FakeGitHub() as server:
        yield server
