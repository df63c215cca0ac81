"""A constant regular expression compiled on every request.

Java's `Pattern.compile`, Go's `regexp.MustCompile` and .NET's `new Regex` compile each time,
with no cache: in a handler that is per request. Python's `re` and JavaScript engines cache
compiled patterns, so there only compiling inside a loop is reported.
"""

from __future__ import annotations

from collections.abc import Iterator

from apiscope.analysis.analysers.base import Severity
from apiscope.analysis.analysers.rules.base import ApiCode, Hit
from apiscope.analysis.analysers.rules.calls import Call
from apiscope.analysis.analysers.rules.code import UnitCode
from apiscope.analysis.analysers.rules.loops import enclosing_loop

_LITERALS = frozenset(
    {"string", "string_literal", "interpreted_string_literal", "raw_string_literal",
     "verbatim_string_literal", "text_block", "regex"}
)  # fmt: skip
_EVERY_CALL = {
    "java": ("Pattern.compile", "a `private static final Pattern` field"),
    "kotlin": ("Pattern.compile", "a property of a companion object"),
    "go": ("regexp.MustCompile", "a package-level `var` (`var re = regexp.MustCompile(...)`)"),
    "csharp": ("Regex", "a `static readonly Regex` field (or a `[GeneratedRegex]`)"),
}
_IN_LOOPS = {
    "python": ("re.compile", "a module-level constant"),
    "javascript": ("RegExp", "a module-level constant (or a regex literal)"),
    "typescript": ("RegExp", "a module-level constant (or a regex literal)"),
    "tsx": ("RegExp", "a module-level constant (or a regex literal)"),
}


class RegexCompiledPerRequest:
    """A constant pattern compiled again on each call."""

    id = "regex-compiled-per-request"
    severity: Severity = "low"
    label = "regular expressions compiled per request"
    languages = frozenset(_EVERY_CALL) | frozenset(_IN_LOOPS)

    def check(self, code: UnitCode, api: ApiCode) -> Iterator[Hit]:
        """Compilations of a literal pattern: anywhere, or in loops where the runtime caches."""
        always = code.language in _EVERY_CALL
        compiler, home = (_EVERY_CALL if always else _IN_LOOPS)[code.language]
        for call in code.calls:
            if not _compiles_literal(call, compiler):
                continue
            if always or enclosing_loop(code, call.node) is not None:
                where = "on every request" if always else "on every pass of a loop"
                yield Hit(
                    spots=(code.spot(call.node),),
                    title=f"Regular expression compiled per request in {code.name}",
                    explanation=(
                        f"`{call.shown}` compiles the same constant pattern {where}; "
                        "compiling costs far more than matching a short string."
                    ),
                    recommendation=f"Compile it once, as {home}.",
                )


def _compiles_literal(call: Call, compiler: str) -> bool:
    name_matches = (
        call.callee in (compiler, "regexp.Compile")
        if "." in compiler
        else (call.constructor and call.name == compiler)
    )
    return name_matches and bool(call.arguments) and call.arguments[0].type in _LITERALS
