"""`apiscope worst` and `apiscope match` as a user runs them: `python -m apiscope`, a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.analysis.traffic.conftest import nginx_line, write_log

APP = """from fastapi import FastAPI

app = FastAPI()


@app.get("/users/{user_id}")
def get_user(user_id: int):
    return {}


@app.post("/users")
def create_user():
    return {}
"""


def apiscope(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the CLI with its cache confined to the test."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cwd / "cache")}
    return subprocess.run(
        [sys.executable, "-m", "apiscope", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=50,
    )  # fmt: skip


@pytest.fixture
def access_log(tmp_path: Path) -> Path:
    """A slow endpoint, a busy fast one, a failing one, and a malformed line."""
    lines = [nginx_line("GET", f"/users/{i}", 200, 0.900) for i in range(50)]
    lines += [nginx_line("GET", "/health", 200, 0.001)] * 100
    lines += [nginx_line("POST", "/users", 500, 0.050)] * 20
    lines.insert(10, "this is not a log line")
    return write_log(tmp_path / "access.log", lines, compress=True)


def test_worst_json_ranks_and_feeds_back_as_worst_input(tmp_path: Path, access_log: Path) -> None:
    """`--json --top 2` prints the two worst endpoints; the output reads back as a worst list."""
    done = apiscope("worst", str(access_log), "--top", "2", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    worst = json.loads(done.stdout)
    assert [(w["method"], w["path"], w["requests"]) for w in worst] == [
        ("GET", "/users/{id}", 50), ("POST", "/users", 20)
    ]  # fmt: skip
    assert worst[1]["error_rate"] == 1.0
    assert "skipped 1 malformed line (line 11: 'this is not a log line')" in done.stderr
    (tmp_path / "worst.json").write_text(done.stdout)
    again = apiscope("worst", str(tmp_path / "worst.json"), "--json", cwd=tmp_path)
    assert [w["path"] for w in json.loads(again.stdout)] == ["/users/{id}", "/users"]


def test_worst_in_parallel_workers(tmp_path: Path, access_log: Path) -> None:
    """Worker processes started from `python -m apiscope` give the single-process answer."""
    one = apiscope("worst", str(access_log), "--json", "--workers", "1", cwd=tmp_path)
    two = apiscope("worst", str(access_log), "--json", "--workers", "2", cwd=tmp_path)
    assert two.returncode == 0, two.stderr
    assert json.loads(two.stdout) == json.loads(one.stdout)


def test_worst_groups_by_a_repository(tmp_path: Path) -> None:
    """`--repo` groups log paths by the repository's route templates."""
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "main.py").write_text(APP)
    log = write_log(
        tmp_path / "a.log", [nginx_line("GET", "/users/7"), nginx_line("GET", "/users/me")]
    )
    done = apiscope("worst", str(log), "--json", "--repo", str(tmp_path / "repo"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert [(w["path"], w["requests"]) for w in json.loads(done.stdout)] == [
        ("/users/{user_id}", 2)
    ]


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (b"", (), "the file is empty"),
        (b"what is this\n", (), "unrecognised format: line 1 ('what is this')"),
        (b'[{"endpoint": "GET /a"}, {"p95_ms": 1}]', (), "[1]: no endpoint"),
        (b"GET /a\n", ("--field", "bogus"), "--field 'bogus': expected ROLE=NAME"),
    ],
)
def test_worst_bad_input_exits_2_with_one_line(
    tmp_path: Path, content: bytes, args: tuple[str, ...], message: str
) -> None:
    """Empty, unrecognised or invalid input: exit 2, one line on stderr, no traceback."""
    (tmp_path / "input").write_bytes(content)
    done = apiscope("worst", str(tmp_path / "input"), *args, cwd=tmp_path)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_match_prints_one_object_per_request_in_order(tmp_path: Path) -> None:
    """`apiscope match --json`: route for FULL matches, null otherwise, input order kept."""
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "app.py").write_text(APP)
    requests = [
        {"method": "GET", "url": "https://api.example.com/users/42?x=1"},
        {"method": "DELETE", "url": "/users/42"},
        {"method": "HEAD", "url": "/users/1/"},
        {"method": "GET", "url": "/nothing"},
    ]
    (tmp_path / "requests.json").write_text(json.dumps(requests))
    done = apiscope(
        "match",
        str(tmp_path / "repo"),
        "--requests",
        str(tmp_path / "requests.json"),
        "--json",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    user = {"method": "GET", "path": "/users/{user_id}", "file": "app.py", "line": 6}
    assert json.loads(done.stdout) == [
        {**requests[0], "route": user},
        {**requests[1], "route": None},
        {**requests[2], "route": user},
        {**requests[3], "route": None},
    ]


def test_match_with_base_path(tmp_path: Path) -> None:
    """`--base-path /prod` makes stage URLs match."""
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "app.py").write_text(APP)
    (tmp_path / "requests.json").write_text(json.dumps([{"method": "GET", "url": "/prod/users/1"}]))
    done = apiscope("match", str(tmp_path / "repo"), "--requests", str(tmp_path / "requests.json"),
                    "--json", "--base-path", "/prod", cwd=tmp_path)  # fmt: skip
    assert json.loads(done.stdout)[0]["route"]["path"] == "/users/{user_id}"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{}", "expected a JSON array"),
        ('[{"method": "GET"}]', 'requests.json[0]: "url" must be a non-empty string'),
        ("[1]", "requests.json[0]: expected an object"),
        ("[{", "not valid JSON"),
    ],
)
def test_match_bad_requests_file_exits_2(tmp_path: Path, content: str, message: str) -> None:
    """A requests file that is not a list of {method, url} is one line and exit 2."""
    (tmp_path / "repo").mkdir()
    (tmp_path / "requests.json").write_text(content)
    done = apiscope(
        "match", str(tmp_path / "repo"), "--requests", str(tmp_path / "requests.json"), cwd=tmp_path
    )
    assert done.returncode == 2 and message in done.stderr


def test_match_missing_repository_exits_2(tmp_path: Path) -> None:
    """A REPO path that does not exist is bad input."""
    (tmp_path / "requests.json").write_text("[]")
    done = apiscope(
        "match", str(tmp_path / "nope"), "--requests", str(tmp_path / "requests.json"), cwd=tmp_path
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
