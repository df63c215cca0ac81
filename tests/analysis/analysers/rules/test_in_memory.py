"""Whole files read into memory and sent as the response."""

from __future__ import annotations

from apiscope.analysis.analysers.rules.in_memory import WholeFileResponse
from tests.analysis.analysers.conftest import Check

RULE = WholeFileResponse()


def test_python_read_then_response(check: Check) -> None:
    """`with open(...) as f: data = f.read()` then `HttpResponse(data)`."""
    source = """
        def handler(request, name):
            with open(f"/exports/{name}", "rb") as f:
                data = f.read()
            return HttpResponse(data, content_type="text/csv")
    """
    assert check(RULE, source) == [((3, 3), (4, 4))]


def test_reads_that_are_not_sent_or_are_chunked_are_fine(check: Check) -> None:
    """A config read for parsing, and a chunked read, are not responses built whole."""
    source = """
        def handler(request, name):
            with open("settings.json") as f:
                settings = json.loads(f.read())
            with open(name, "rb") as f:
                head = f.read(1024)
            return FileResponse(open(name, "rb"))
    """
    assert check(RULE, source) == []


def test_node_read_file_then_send_and_go_read_all_then_write(check: Check) -> None:
    """JS `await fs.promises.readFile` → `res.send`; Go `os.ReadFile` → `w.Write`."""
    js = """
        async function handler(req, res) {
          const pdf = await fs.promises.readFile(`/reports/${req.params.id}.pdf`);
          res.set("Content-Type", "application/pdf");
          res.send(pdf);
        }
    """
    go = """
        package api

        func handler(w http.ResponseWriter, r *http.Request) {
            data, err := os.ReadFile(filepath.Join(dir, r.URL.Path))
            if err != nil {
                return
            }
            w.Write(data)
        }
    """
    assert check(RULE, js, "javascript") == [((2, 2), (4, 4))]
    assert check(RULE, go, "go") == [((4, 4), (8, 8))]
