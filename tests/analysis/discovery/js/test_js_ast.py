"""JS/TS syntax helpers: test paths, literal strings, handler names, import specifiers."""

from __future__ import annotations

import pytest

from apiscope.analysis.discovery.js_ast import (
    call_arguments,
    calls,
    handler_name,
    is_test_path,
    resolve_specifier,
    string_literal,
)
from apiscope.analysis.discovery.project import SourceFile


def _file(source: str) -> SourceFile:
    return SourceFile("a.ts", "typescript", source.encode())


@pytest.mark.parametrize(
    ("path", "is_test"),
    [
        ("src/users.test.ts", True),
        ("src/users.spec.js", True),
        ("test/app.e2e-spec.ts", True),
        ("src/__tests__/users.ts", True),
        ("tests/helpers.js", True),
        ("src/latest/users.ts", False),
        ("src/contest.ts", False),
    ],
)
def test_test_paths(path: str, is_test: bool) -> None:
    """Test files and test folders are recognised; names merely containing `test` are not."""
    assert is_test_path(path) is is_test


@pytest.mark.parametrize(
    ("handler", "name"),
    [
        ("users.list", "users.list"),
        ("async (req, res) => {}", "anonymous"),
        ("function named(req, res) {}", "named"),
        ("catchAsync(users.show)", "users.show"),
        ("this.update.bind(this)", "this.update"),
        ("[auth, validate(schema), users.create]", "users.create"),
        ("passport.authenticate('jwt')", "passport.authenticate"),
    ],
)
def test_handler_names_as_written(handler: str, name: str) -> None:
    """The handler is named as written, unwrapping wrappers, `.bind` and middleware arrays."""
    file = _file(f"h({handler});")
    (call,) = [c for c in calls(file) if file.text(c).startswith("h(")]
    assert handler_name(file, call_arguments(call)[0]) == name


def test_string_literals_only() -> None:
    """Quoted strings and substitution-free templates are literals; templates with `${}` are not."""
    file = _file("h('/a', `/b`, `/c/${id}`, \"/d\");")
    args = call_arguments(calls(file)[0])
    assert [string_literal(file, a) for a in args] == ["/a", "/b", None, "/d"]


def test_relative_specifiers_resolve_like_node_and_typescript() -> None:
    """`./users` tries extensions and index files, `./users.js` finds `users.ts`, packages None."""
    known = {"src/routes/users.ts", "src/routes/admin/index.js", "src/lib.mjs"}
    assert resolve_specifier(known, "src/app.ts", "./routes/users") == "src/routes/users.ts"
    assert resolve_specifier(known, "src/app.ts", "./routes/users.js") == "src/routes/users.ts"
    assert resolve_specifier(known, "src/routes/x.ts", "./admin") == "src/routes/admin/index.js"
    assert resolve_specifier(known, "src/routes/x.ts", "../lib.mjs") == "src/lib.mjs"
    assert resolve_specifier(known, "src/app.ts", "express") is None
    assert resolve_specifier(known, "app.ts", "../outside") is None
