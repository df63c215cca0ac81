"""`apiscope discover` as a user runs it: `python -m apiscope` in a subprocess, on real trees."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.analysis.sources.conftest import GitRepo, git, github_tarball, make_git_repo
from tests.analysis.sources.fake_github import FakeGitHub, FakeRepo

FASTAPI_APP = """from fastapi import FastAPI

app = FastAPI()


@app.get("/users/{user_id}")
def get_user(user_id: int):
    return {"id": user_id}
"""
EXPRESS_APP = """const express = require('express');
const app = express();

app.post('/orders/:orderId/items', (req, res) => res.json({}));
"""
EXPECTED = [  # in the contract's order: by file, then line
    {"method": "GET", "path": "/users/{user_id}", "file": "api/main.py", "line": 6,
     "handler": "get_user", "framework": "fastapi"},
    {"method": "POST", "path": "/orders/{orderId}/items", "file": "web/server.js", "line": 4,
     "handler": "anonymous", "framework": "express"},
]  # fmt: skip


def apiscope(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI with its cache and settings confined to the test."""
    environment = {**os.environ, "XDG_CACHE_HOME": str(cwd / "cache"), **env}
    environment.pop("GITHUB_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "apiscope", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=50,
    )


@pytest.fixture
def origin(tmp_path: Path) -> GitRepo:
    return make_git_repo(tmp_path / "origin")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """Two apps, plus every kind of file discovery must survive."""
    root = tmp_path / "repo"
    (root / "api").mkdir(parents=True)
    (root / "web").mkdir()
    (root / "api" / "main.py").write_text(FASTAPI_APP)
    (root / "web" / "server.js").write_text(EXPRESS_APP)
    (root / "api" / "legacy.py").write_bytes(b"# caf\xe9 \xff\xfe not utf-8\nx = '\x80'\n")
    (root / "api" / "blob.py").write_bytes(b"\x00\x01\x02binary")
    (root / "web" / "bundle.js").write_bytes(b"var a = 1;\n" * 300_000)  # over 2 MiB
    os.symlink("..", root / "api" / "loop")
    os.symlink(root / "missing", root / "dangling.py")
    return root


def test_json_output_is_the_contract(tree: Path, tmp_path: Path) -> None:
    """Exactly the contract's objects, sorted by file; skipped files are noted on stderr only."""
    done = apiscope("discover", str(tree), "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    routes = json.loads(done.stdout)
    assert routes == EXPECTED
    keys = ["method", "path", "file", "line", "handler", "framework"]
    assert all(list(route) == keys for route in routes)
    assert "1 binary" in done.stderr and "1 too large" in done.stderr
    assert "Traceback" not in done.stderr


def test_output_is_the_same_with_one_or_two_processes(tree: Path, tmp_path: Path) -> None:
    """Discovery in worker processes gives byte-identical output to discovery in one."""
    serial = apiscope("discover", str(tree), "--json", "--workers", "1", cwd=tmp_path)
    parallel = apiscope("discover", str(tree), "--json", "--workers", "2", cwd=tmp_path)
    assert serial.returncode == parallel.returncode == 0, serial.stderr + parallel.stderr
    assert serial.stdout == parallel.stdout
    assert json.loads(serial.stdout)


def test_the_table_names_repository_and_routes(tree: Path, tmp_path: Path) -> None:
    """Without --json a readable table: the repository, each route, and a count."""
    done = apiscope("discover", str(tree), cwd=tmp_path, COLUMNS="200")
    assert done.returncode == 0, done.stderr
    assert str(tree) in done.stdout
    assert "/users/{user_id}" in done.stdout and "api/main.py:6" in done.stdout
    assert "2 routes in 3 source files" in done.stdout


def test_an_empty_folder_is_an_empty_array(tmp_path: Path) -> None:
    """No source at all is not an error: `[]`."""
    (tmp_path / "empty").mkdir()
    done = apiscope("discover", "empty", "--json", cwd=tmp_path)
    assert (done.returncode, json.loads(done.stdout)) == (0, [])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["/no/such/repo"], "repository path not found: /no/such/repo"),
        (["ORIGIN", "--branch", "no-such-branch"], "branch 'no-such-branch' not found in"),
        (["ORIGIN", "--branch", "-x"], "not a valid branch name: '-x'"),
        (["svn://example.com/r"], "unsupported repository URL scheme 'svn'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    origin: GitRepo, tmp_path: Path, args: list[str], message: str
) -> None:
    """A missing path or branch or a bad URL: one line on stderr, nothing on stdout, exit 2."""
    args = [origin.url if a == "ORIGIN" else a for a in args]
    done = apiscope("discover", *args, "--json", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("apiscope: error: ")
    assert message in lines[0]


def test_a_branch_of_a_git_url(origin: GitRepo, tmp_path: Path) -> None:
    """A file:// URL and --branch: the routes of that branch only."""
    git("checkout", "-q", "feature/login", cwd=origin.path)
    origin.commit("routes.py", FASTAPI_APP)
    git("checkout", "-q", "main", cwd=origin.path)
    on_main = apiscope("discover", origin.url, "--json", cwd=tmp_path)
    on_feature = apiscope("discover", origin.url, "-b", "feature/login", "--json", cwd=tmp_path)
    assert json.loads(on_main.stdout) == []
    assert [r["path"] for r in json.loads(on_feature.stdout)] == ["/users/{user_id}"]


def test_owner_name_through_the_github_api(tmp_path: Path) -> None:
    """owner/name reaches the API named by APISCOPE_GITHUB_API_URL; a rate limit exits 1."""
    sha = "d" * 40
    tarball = github_tarball(tmp_path / "t.tgz", {"app/main.py": FASTAPI_APP})
    with FakeGitHub() as github:
        repo = FakeRepo(refs={"main": sha}, tarballs={sha: tarball.read_bytes()})
        github.repos["octo", "api"] = repo
        env = {"APISCOPE_GITHUB_API_URL": github.api_url}
        done = apiscope("discover", "octo/api", "--json", cwd=tmp_path, **env)
        assert done.returncode == 0, done.stderr
        assert [r["file"] for r in json.loads(done.stdout)] == ["app/main.py"]
        github.fail_next("/repos/octo/api", 429, {"Retry-After": "60"}, message="slow down")
        limited = apiscope("discover", "octo/api", "--json", cwd=tmp_path, **env)
    assert limited.returncode == 1
    assert limited.stderr.strip().startswith("apiscope: error: GitHub API rate limit exceeded")
