"""Following names across a Python project's modules."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from tree_sitter import Node

from apiscope.analysis.discovery import python_ast as ast
from apiscope.analysis.discovery.frameworks.python_symbols import ModuleRef, PythonIndex, Symbol
from apiscope.analysis.discovery.project import Project, SourceFile


def _index(tmp_path: Path, files: dict[str, str]) -> PythonIndex:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text).lstrip("\n"))
    return PythonIndex(Project.scan(tmp_path))


def _value_of(index: PythonIndex, path: str, name: str) -> tuple[SourceFile, Node]:
    file = index.file(path)
    value = index.assigned(Symbol(path, name))
    assert value is not None
    return file, value


def test_absolute_import_prefers_the_module_nearest_the_importer(tmp_path: Path) -> None:
    """Without configured source roots, `app.api` resolves to the copy beside the importer."""
    index = _index(
        tmp_path,
        {
            "backend/app/api.py": "router = 1\n",
            "backend/app/main.py": "from app.api import router\nx = router\n",
            "other/app/api.py": "router = 2\n",
        },
    )
    file, value = _value_of(index, "backend/app/main.py", "x")
    assert index.resolve(file, value) == Symbol("backend/app/api.py", "router")


def test_relative_imports_submodules_and_reexports(tmp_path: Path) -> None:
    """`from . import views`, `import pkg.mod as m` and a package `__init__` re-export all lead
    to the defining file."""
    index = _index(
        tmp_path,
        {
            "shop/__init__.py": "from .routes import router\n",
            "shop/routes.py": "router = object()\n",
            "shop/urls.py": "from . import views\nimport shop.routes as r\n"
            "from shop import router\na = views\nb = r.router\nc = router\n",
            "shop/views.py": "def index(request): ...\n",
        },
    )
    file = index.file("shop/urls.py")
    targets = [index.resolve(file, index.assigned(Symbol(file.path, n))) for n in "abc"]
    assert targets == [
        ModuleRef("shop/views.py"),
        Symbol("shop/routes.py", "router"),
        Symbol("shop/routes.py", "router"),
    ]


def test_constants_follow_imports_settings_defaults_and_getenv(tmp_path: Path) -> None:
    """Prefixes written as constants, settings attributes or env lookups with a default get
    their literal value."""
    index = _index(
        tmp_path,
        {
            "app/config.py": """
                import os

                class Settings:
                    API_V1_STR: str = "/api/v1"

                settings = Settings()
                VERSION = os.getenv("API_VERSION", "v2")
            """,
            "app/main.py": """
                from app.config import VERSION, settings

                a = settings.API_V1_STR + "/users"
                b = f"/{VERSION}/items"
            """,
        },
    )
    assert index.string(*_value_of(index, "app/main.py", "a")) == "/api/v1/users"
    assert index.string(*_value_of(index, "app/main.py", "b")) == "/v2/items"


def test_import_cycles_end(tmp_path: Path) -> None:
    """Two modules importing a name from each other resolve to nothing, without recursing
    forever."""
    index = _index(
        tmp_path,
        {"a.py": "from b import x\ny = x\n", "b.py": "from a import x\n"},
    )
    file, value = _value_of(index, "a.py", "y")
    assert index.string(file, value) is None
    assert ast.line_of(value) == 2
