"""A response built by reading a whole file into memory and sending it in one piece, instead of
streaming it: memory grows with the file, and the first byte leaves only after the last one is
read.

Found when a whole-file read (`f.read()`, `fs.readFileSync`, `os.ReadFile`, `io.ReadAll`,
`Files.readAllBytes`) is given, directly or through one variable, to the response
(`HttpResponse(data)`, `res.send(data)`, `w.Write(data)`, `ResponseEntity.ok(data)`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from apiscope.analysis.analysers.base import Severity
from apiscope.analysis.analysers.context.syntax import text
from apiscope.analysis.analysers.rules.base import ApiCode, Hit
from apiscope.analysis.analysers.rules.calls import Call
from apiscope.analysis.analysers.rules.code import UnitCode

_READS = {
    "python": frozenset({"read", "read_bytes", "read_text"}),
    "javascript": frozenset({"readFileSync", "readFile"}),
    "go": frozenset({"ReadFile", "ReadAll"}),
    "java": frozenset({"readAllBytes", "readString"}),
}
_RESPONSES = {
    "python": frozenset(
        {"Response", "HttpResponse", "make_response", "PlainTextResponse", "HTMLResponse"}
    ),
    "javascript": frozenset({"send", "end", "write", "Response"}),
    "go": frozenset({"Write", "Data", "Blob"}),
    "java": frozenset({"ok", "body"}),
}
_STREAM = {
    "python": "Stream it: `FileResponse`/`StreamingResponse` (FastAPI, Starlette), "
    "`FileResponse` (Django), `send_file` (Flask), or a generator reading chunks.",
    "javascript": "Stream it: `fs.createReadStream(path).pipe(res)`, `res.sendFile(path)`, or "
    "`reply.send(stream)`.",
    "go": "Stream it: `io.Copy(w, file)` or `http.ServeContent`.",
    "java": "Stream it: return a `Resource` (`FileSystemResource`) or a `StreamingResponseBody`.",
}
_OPENED = re.compile(r"\bopen\(.*?\)\s+as\s+(\w+)")
"""`with open(path, "rb") as f:` names a file whose `f.read()` reads it whole."""
_BINDINGS = frozenset({"assignment", "variable_declarator", "short_var_declaration",
                       "assignment_expression"})  # fmt: skip


class WholeFileResponse:
    """A file read whole into memory, then sent as the response body."""

    id = "response-built-in-memory"
    severity: Severity = "medium"
    label = "responses built whole in memory"
    languages = frozenset({"python", "javascript", "typescript", "tsx", "go", "java"})

    def check(self, code: UnitCode, api: ApiCode) -> Iterator[Hit]:
        """Whole reads that reach a response call."""
        family = "javascript" if code.language in ("typescript", "tsx") else code.language
        opened = set(_OPENED.findall(code.unit.source)) if family == "python" else set()
        for read in (c for c in code.calls if _whole_read(c, family, opened)):
            sent = _sent(code, read, family)
            if sent is not None:
                yield Hit(
                    spots=(code.spot(read.node), code.spot(sent.node)),
                    title=f"Whole file read into memory for the response in {code.name}",
                    explanation=(
                        f"`{read.shown}` loads the entire content into memory and "
                        f"`{sent.shown}` sends it at once: memory use grows with the file, and "
                        "the client gets nothing until all of it has been read."
                    ),
                    recommendation=_STREAM[family],
                )


def _whole_read(call: Call, family: str, opened: set[str]) -> bool:
    if call.name not in _READS.get(family, ()):
        return False
    if family == "python":
        from_file = call.callee.startswith("open(") or call.receiver in opened
        return not call.arguments and (call.name != "read" or from_file)
    if family == "java":
        return call.root == "Files"
    if family == "go":
        return call.root in ("os", "ioutil", "io")
    return True


def _sent(code: UnitCode, read: Call, family: str) -> Call | None:
    """The response call that sends the read's result, directly or through a variable."""
    name = _bound_name(read.node)
    for call in code.calls:
        if call.node.start_byte < read.node.start_byte or call.name not in _RESPONSES[family]:
            continue
        for argument in call.arguments:
            inside = argument.start_byte <= read.node.start_byte < argument.end_byte
            if inside or (name and text(argument) == name):
                return call
    return None


def _bound_name(node: Node) -> str:
    """The variable a call's result is stored in (`data = f.read()`, `data, err := …`)."""
    current = node.parent
    while current is not None and current.type not in _BINDINGS:
        if current.type in ("expression_statement", "block", "statement_block"):
            return ""
        current = current.parent
    if current is None:
        return ""
    target = current.child_by_field_name("left") or current.child_by_field_name("name")
    if target is not None and target.type in ("expression_list", "pattern_list", "tuple_pattern"):
        target = target.named_children[0] if target.named_children else None
    return text(target) if target is not None and target.type == "identifier" else ""
