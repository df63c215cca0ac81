"""Reading Python literals and names from tree-sitter nodes."""

from __future__ import annotations

import pytest
from tree_sitter import Node

from apiscope.analysis.discovery import python_ast as ast
from apiscope.analysis.discovery.project import SourceFile


def _expression(source: str) -> tuple[SourceFile, Node]:
    file = SourceFile("m.py", "python", f"x = {source}\n".encode())
    assignment = next(ast.descendants(file.root, "assignment"))
    right = assignment.child_by_field_name("right")
    assert right is not None
    return file, right


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ('"/users"', "/users"),
        ('"/a" "/b"', "/a/b"),
        ("\"/a\" + '/b'", "/a/b"),
        ('r"^users/(?P<pk>\\d+)/$"', "^users/(?P<pk>\\d+)/$"),
        ('f"/items/{{item_id}}"', "/items/{item_id}"),
        ('f"{unknown}/items"', "/items"),
        ('"tab\\there"', "tab\there"),
    ],
)
def test_string_values(source: str, value: str) -> None:
    """Literals, concatenation, raw strings and f-string escapes give the runtime value; an
    f-string field that cannot be resolved is dropped, its literal parts kept."""
    file, node = _expression(source)
    assert ast.string_value(file, node) == value


def test_unresolved_name_gives_none_and_resolver_fills_it() -> None:
    """A bare name has no value unless the resolver knows it."""
    file, node = _expression('PREFIX + "/users"')
    assert ast.string_value(file, node) is None
    assert ast.string_value(file, node, lambda n: "/api") == "/api/users"


def test_strings_of_tuple_list_and_single_value() -> None:
    """`methods=("GET",)`, lists and a lone string all give a list of strings."""
    assert ast.strings(*_expression('("GET",)')) == ["GET"]
    assert ast.strings(*_expression('["get", "post", other]')) == ["get", "post"]
    assert ast.strings(*_expression('"PUT"')) == ["PUT"]


@pytest.mark.parametrize(
    ("path", "is_test"),
    [
        ("tests/test_api.py", True),
        ("app/tests/factories.py", True),
        ("shop/tests.py", True),
        ("conftest.py", True),
        ("pkg/api_test.py", True),
        ("app/api/routes/users.py", False),
        ("app/contest.py", False),
    ],
)
def test_test_files_are_recognised(path: str, is_test: bool) -> None:
    """Test modules and folders are left out of route discovery."""
    assert ast.is_test_file(path) is is_test


def test_imports_needs_an_import_statement() -> None:
    """A framework named in a comment or string is not imported; sibling packages count."""
    file = SourceFile(
        "m.py", "python", b'# ported from flask\nx = "fastapi"\nfrom flask_restx import Api\n'
    )
    assert ast.imports(file, "flask")
    assert not ast.imports(file, "fastapi")
