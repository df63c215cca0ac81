"""Discovery in several processes finds the same routes; a failing discoverer loses only its own."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from apiscope.analysis.discovery import all_discoverers, discover, discoverer_refs
from apiscope.analysis.discovery.parallel import plan_tasks, run_one, worker_count
from apiscope.analysis.discovery.project import Project
from apiscope.analysis.routes import Route

FLASK_APP = """from flask import Flask
app = Flask(__name__)

@app.route("/items/<int:item_id>", methods=["GET", "DELETE"])
def item(item_id):
    return ""
"""
GIN_APP = """package main

import "github.com/gin-gonic/gin"

func main() {
	r := gin.Default()
	r.GET("/ping/:who", ping)
}
"""


class Exploding:
    """A discoverer with a bug: it raises on any input."""

    name = "exploding"
    languages: tuple[str, ...] = ("python",)

    def discover(self, project: Project) -> Iterable[Route]:
        raise RecursionError("maximum recursion depth exceeded")


def write_tree(root: Path) -> Path:
    (root / "svc").mkdir(parents=True)
    (root / "svc" / "app.py").write_text(FLASK_APP)
    (root / "main.go").write_text(GIN_APP)
    (root / "notes.py").write_bytes(b"\xff\xfe\x00 binary")
    return root


def test_two_processes_find_exactly_what_one_finds(tmp_path: Path) -> None:
    """Routes, order and counts are identical whether discovery runs in 1 or 2 processes."""
    root = write_tree(tmp_path)
    serial = discover(root, workers=1)
    parallel = discover(root, workers=2)
    assert serial.routes == parallel.routes
    assert {(r.method, r.path) for r in serial.routes} >= {
        ("GET", "/items/{item_id}"),
        ("DELETE", "/items/{item_id}"),
        ("GET", "/ping/{who}"),
    }
    assert (serial.stats["workers"], parallel.stats["workers"]) == (1, 2)
    assert serial.stats["by_framework"] == parallel.stats["by_framework"]
    assert serial.stats["files_skipped"] == {"binary": 1}


def test_a_failing_discoverer_is_reported_not_raised(tmp_path: Path) -> None:
    """The exception becomes an outcome with the error; nothing propagates."""
    project = Project.scan(write_tree(tmp_path))
    outcome = run_one(project, Exploding())
    assert outcome.routes == ()
    assert outcome.error == "RecursionError: maximum recursion depth exceeded"


def test_small_projects_stay_in_one_process(tmp_path: Path) -> None:
    """Worker processes start only for a large project, and never outnumber the discoverers."""
    small = Project.scan(write_tree(tmp_path))
    assert worker_count(small, None, tasks=20) == 1
    assert worker_count(small, 8, tasks=3) == 3
    assert worker_count(small, 0, tasks=3) == 1


def python_refs_in_tasks(root: Path) -> list[int]:
    """How many Python discoverers each task holds, planned for two workers."""
    project = Project.scan(root)
    refs = [r for r in discoverer_refs() if r.load().languages == ("python",)]
    assert len(refs) >= 3, "FastAPI, Flask, Django, ... discoverers are registered"
    return [len(task) for task in plan_tasks(project, refs, workers=2)]


def test_a_language_set_is_one_task_unless_it_dominates(tmp_path: Path) -> None:
    """Python's discoverers share one task (one parse) beside bigger Go, but split when alone."""
    (tmp_path / "mixed").mkdir()
    (tmp_path / "mixed" / "app.py").write_text(FLASK_APP)
    (tmp_path / "mixed" / "main.go").write_text(GIN_APP * 10)
    assert len(python_refs_in_tasks(tmp_path / "mixed")) == 1
    (tmp_path / "python").mkdir()
    (tmp_path / "python" / "app.py").write_text(FLASK_APP)
    assert set(python_refs_in_tasks(tmp_path / "python")) == {1}


def test_refs_load_the_same_discoverers_in_order() -> None:
    """A worker process loads a discoverer by module and position; the order is the registry's."""
    assert tuple(ref.load() for ref in discoverer_refs()) == all_discoverers()


def test_source_lines_are_counted(tmp_path: Path) -> None:
    """Throughput figures count every line, including a last line without a newline."""
    (tmp_path / "a.py").write_text("x = 1\ny = 2")
    (tmp_path / "b.py").write_text("")
    (tmp_path / "c.go").write_text("package c\n")
    assert Project.scan(tmp_path).lines == 3
