"""Units parsed on their own, with every line mapped back to the file."""

from __future__ import annotations

import pytest

from apiscope.analysis.analysers.base import CodeUnit
from apiscope.analysis.analysers.rules.code import parse_unit


@pytest.mark.parametrize(
    ("language", "source", "kind"),
    [
        ("python", "  @get('/x')\n  def show(self):\n    return load()", "function_definition"),
        ("typescript", "  @Get()\n  async show() {\n    return load();\n  }", "method_definition"),
        ("java", "  @Get\n  public X show() {\n    return load();\n  }", "method_declaration"),
        ("php", "  public function show() {\n    return load();\n  }", "method_declaration"),
        ("go", "\tr.Get(\"/x\", func(w W, r *R) {\n\t\tload()\n\t})", "func_literal"),
        ("csharp", "  [Get]\n  public X Show() {\n    return load();\n  }", "method_declaration"),
        ("ruby", "  def show\n    load(1)\n  end", "method"),
        ("rust", "async fn show() -> Json<X> {\n    load()\n}", "function_item"),
    ],
)  # fmt: skip
def test_units_parse_alone_and_keep_their_file_lines(language: str, source: str, kind: str) -> None:
    """A method cut out of its class parses (wrapped where it must be), and the call in it is
    mapped to its line in the file."""
    lines = source.split("\n")
    unit = CodeUnit("app/x", "show", language, 40, 39 + len(lines), source)
    code = parse_unit(unit)
    assert code is not None
    assert code.function.type == kind
    load = next(c for c in code.calls if c.name == "load")
    assert code.line(load.node) == 40 + next(i for i, line in enumerate(lines) if "load" in line)


def test_inline_handler_line_keeps_the_handler_not_the_middleware() -> None:
    """On `app.get('/', auth(() => x), async (req, res) => {…})` the unit is the last function."""
    source = "app.get('/', auth(() => true), async (req, res) => {\n  res.json(load());\n});"
    code = parse_unit(CodeUnit("a.js", "anonymous", "javascript", 7, 9, source))
    assert code is not None
    assert code.is_async()
    assert code.line(code.function) == 7
    assert code.end_line(code.function) == 9


def test_unknown_language_gives_no_code() -> None:
    """A unit in a grammar the rules do not read is skipped, not an error."""
    assert parse_unit(CodeUnit("a.ex", "f", "elixir", 1, 1, "def f, do: 1")) is None
