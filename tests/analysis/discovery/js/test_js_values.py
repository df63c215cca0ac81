"""Following names through scopes, imports, exports and tsconfig aliases; constant strings."""

from __future__ import annotations

from pathlib import Path

import pytest
from tree_sitter import Node

from apiscope.analysis.discovery.frameworks.js_strings import constant_string
from apiscope.analysis.discovery.frameworks.js_value_types import Created, External, Param, Ref
from apiscope.analysis.discovery.frameworks.js_values import Values
from apiscope.analysis.discovery.js_ast import calls
from apiscope.analysis.discovery.project import Project
from tests.analysis.discovery.conftest import write_project


def _probe(tmp_path: Path, files: dict[str, str], path: str) -> tuple[Values, Node]:
    """The values of a project and the first argument of `probe(...)` in `path`."""
    write_project(tmp_path, files)
    values = Values(Project.scan(tmp_path))
    file = values.modules.file(path)
    call = next(c for c in calls(file) if file.text(c).startswith("probe("))
    args = call.child_by_field_name("arguments")
    assert args is not None and args.named_children
    return values, args.named_children[0]


def test_barrel_reexports_lead_to_the_declaring_file(tmp_path: Path) -> None:
    """`export { default as users } from './users'` and `export *` are followed to the router."""
    values, arg = _probe(
        tmp_path,
        {
            "app.js": "import { users, orders } from './routes';\nprobe(users); probe(orders);\n",
            "routes/index.js": (
                "export { default as users } from './users';\nexport * from './orders';\n"
            ),
            "routes/users.js": "import express from 'express';\nexport default express.Router();\n",
            "routes/orders.js": "export const orders = 1;\n",
        },
        "app.js",
    )
    value = values.value("app.js", arg)
    assert isinstance(value, Created)
    assert value.path == "routes/users.js"
    assert value.factory == External("express", ("Router",))


def test_tsconfig_paths_alias_with_comments(tmp_path: Path) -> None:
    """`@/config` resolves through `compilerOptions.paths` of a tsconfig written with comments."""
    values, arg = _probe(
        tmp_path,
        {
            "api/tsconfig.json": (
                '{\n // aliases\n "compilerOptions": {"baseUrl": ".",\n'
                '  "paths": {"@/*": ["src/*"],},},\n}'
            ),
            "api/src/config/index.ts": "export default { prefix: `/api/${'v1'}` };\n",
            "api/src/app.ts": "import config from '@/config';\nprobe(config.prefix);\n",
        },
        "api/src/app.ts",
    )
    assert constant_string(values, "api/src/app.ts", arg) == "/api/v1"


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("'/users'", "/users"),
        ("`/users/${ID}`", "/users/:id"),
        ("BASE + '/list'", "/v1/list"),
        ("process.env.PREFIX || '/fallback'", "/fallback"),
        ("process.env.PREFIX ?? BASE", "/v1"),
        ("Paths.Admin", "/admin"),
        ("`/users/${req.params.id}`", None),
    ],
)
def test_constant_strings(tmp_path: Path, expression: str, expected: str | None) -> None:
    """A path is known when every part is a literal, a constant, an enum member or a fallback."""
    source = (
        "const ID = ':id';\nconst BASE = '/v1';\nenum Paths { Admin = '/admin' }\n"
        f"probe({expression});\n"
    )
    values, arg = _probe(tmp_path, {"a.ts": source}, "a.ts")
    assert constant_string(values, "a.ts", arg) == expected


def test_parameters_and_destructured_requires(tmp_path: Path) -> None:
    """A parameter is a `Param` (keyed if destructured); `const { Router } = require()` a member."""
    values, arg = _probe(
        tmp_path,
        {
            "a.js": (
                "const { Router: R } = require('express');\n"
                "function f(app, { server }) { probe(server); }\n"
                "probe(R);\n"
            )
        },
        "a.js",
    )
    value = values.value("a.js", arg)
    assert isinstance(value, Param)
    assert (value.index, value.key) == (1, "server")
    file = values.modules.file("a.js")
    second = [c for c in calls(file) if file.text(c).startswith("probe(")][1]
    args = second.child_by_field_name("arguments")
    assert args is not None
    assert values.value("a.js", args.named_children[0]) == External("express", ("Router",))


def test_class_fields_and_returned_values(tmp_path: Path) -> None:
    """`new C().router` reads the class field; calling a local factory gives what it returns."""
    values, arg = _probe(
        tmp_path,
        {
            "a.ts": (
                "import { Router } from 'express';\n"
                "class C { router = Router(); }\n"
                "const make = () => { const r = Router(); return r; };\n"
                "probe([new C().router, make()]);\n"
            )
        },
        "a.ts",
    )
    field, made = (values.value("a.ts", item) for item in arg.named_children)
    assert isinstance(field, Created) and isinstance(made, Created)
    assert field.node.start_point.row == 1 and made.node.start_point.row == 2
    assert isinstance(values.value("a.ts", arg), Ref)
