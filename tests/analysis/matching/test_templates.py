"""Route templates read into segments: which spellings are static, typed, mixed or catch-all."""

from __future__ import annotations

import pytest

from apiscope.analysis.matching.templates import TYPES, CatchAll, Param, Static, parse_template


@pytest.mark.parametrize(
    ("path", "segments"),
    [
        ("/", ()),
        ("/users/{id}/", (Static("users"), Param())),
        ("/users/{id:int}", (Static("users"), Param(TYPES["int"]))),
        ("/users/{id:str}", (Static("users"), Param())),
        ("/users/{id:int:min(1)}", (Static("users"), Param(TYPES["int"]))),
        (r"/users/{id:\d+}", (Static("users"), Param(r"\d+"))),
        ("/files/{p:path}", (Static("files"), CatchAll())),
        ("/files/{p...}", (Static("files"), CatchAll())),
        ("/files/{+p}", (Static("files"), CatchAll())),
        ("/files/*", (Static("files"), CatchAll())),
        ("/{p...}/x", (Param(), Static("x"))),
        ("/r/{id}.json", (Static("r"), Param(r"[^/]+?\.json"))),
    ],
)
def test_segments(path: str, segments: tuple[object, ...]) -> None:
    """Each template spelling becomes the segment kinds matching relies on."""
    assert parse_template(path) == segments
