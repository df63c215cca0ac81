"""Constant regular expressions compiled per request."""

from __future__ import annotations

from apiscope.analysis.analysers.rules.regexes import RegexCompiledPerRequest
from tests.analysis.analysers.conftest import Check

RULE = RegexCompiledPerRequest()


def test_java_and_go_compile_in_a_handler(check: Check) -> None:
    """`Pattern.compile("…")` in a method and `regexp.MustCompile(`…`)` in a function."""
    java = """
        class Search {
            public List<String> handler(String q) {
                Pattern words = Pattern.compile("\\\\w+");
                Pattern dynamic = Pattern.compile(q);
                return words.matcher(q).results().map(MatchResult::group).toList();
            }
        }
    """
    go = """
        package api

        var slug = regexp.MustCompile(`^[a-z-]+$`)

        func handler(w http.ResponseWriter, r *http.Request) {
            re := regexp.MustCompile(`^\\d+$`)
            re.MatchString(r.URL.Path)
            slug.MatchString(r.URL.Path)
        }
    """
    assert check(RULE, java, "java") == [((3, 3),)]
    assert check(RULE, go, "go") == [((6, 6),)]


def test_python_and_js_only_in_loops(check: Check) -> None:
    """Python and JS cache compiled patterns: only compiling inside a loop is reported."""
    python = """
        def handler(lines):
            header = re.compile(r"^#")
            for line in lines:
                if re.compile(r"\\d+").match(line):
                    yield line
    """
    js = """
        function handler(req, res) {
          const once = new RegExp("^a");
          const hits = req.body.lines.filter((l) => new RegExp("\\\\d+").test(l));
          res.json(hits);
        }
    """
    assert check(RULE, python) == [((4, 4),)]
    assert check(RULE, js, "javascript") == [((3, 3),)]
