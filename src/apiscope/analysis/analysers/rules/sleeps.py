"""A deliberate pause on the request path: every response waits for it.

`time.sleep`, `await asyncio.sleep(n)`, `Thread.sleep`, Go's `time.Sleep`, `Task.Delay`,
`await new Promise(r => setTimeout(r, n))` and the like. A sleep in an `except`/`catch` block
is a backoff that runs only on failure, and `asyncio.sleep(0)` only yields: both are left out.
Python's `time.sleep` inside a coroutine is reported as a blocking call instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from apiscope.analysis.analysers.base import Severity
from apiscope.analysis.analysers.context.syntax import text
from apiscope.analysis.analysers.rules.base import ALL_LANGUAGES, ApiCode, Hit
from apiscope.analysis.analysers.rules.calls import Call
from apiscope.analysis.analysers.rules.code import UnitCode

_SLEEPS = frozenset(
    {"time.sleep", "asyncio.sleep", "Thread.sleep", "time.Sleep", "Task.Delay", "sleep",
     "usleep", "thread::sleep", "std::thread::sleep", "tokio::time::sleep", "Kernel.sleep",
     "TimeUnit.SECONDS.sleep", "TimeUnit.MILLISECONDS.sleep", "Thread.Sleep", "delay"}
)  # fmt: skip
_HANDLERS = frozenset({"except_clause", "catch_clause", "rescue", "catch_block"})


class SleepInRequest:
    """A sleep on the request path."""

    id = "sleep-in-request"
    severity: Severity = "medium"
    label = "sleeps on the request path"
    languages = ALL_LANGUAGES

    def check(self, code: UnitCode, api: ApiCode) -> Iterator[Hit]:
        """Sleeps with a non-zero duration, outside error handlers."""
        for call in code.calls:
            if _sleeps(code, call) and not _in_error_handler(code, call.node):
                yield Hit(
                    spots=(code.spot(call.node),),
                    title=f"Sleep on the request path in {code.name}",
                    explanation=(
                        f"`{' '.join(text(call.node).split())}` pauses the request: every "
                        "response that reaches it is that much slower."
                    ),
                    recommendation=(
                        "Remove the pause; if it waits for something to become ready, wait on "
                        "that condition (or move the work to a background job) instead."
                    ),
                )


def _sleeps(code: UnitCode, call: Call) -> bool:
    if call.callee == "setTimeout":
        return _promised_timeout(call.node)
    if call.callee not in _SLEEPS or not call.arguments:
        return False
    if call.callee == "time.sleep" and code.language == "python" and code.is_async():
        return False  # reported as a blocking call in a coroutine
    if call.callee in ("sleep", "delay") and code.language not in ("ruby", "php"):
        return False  # a project helper of that name may do anything
    return text(call.arguments[0]).strip("()") not in ("0", "0.0", "0L")


def _promised_timeout(node: Node) -> bool:
    """`await new Promise(resolve => setTimeout(resolve, 500))`."""
    current = node.parent
    for _ in range(6):
        if current is None:
            return False
        if current.type == "new_expression" and text(current).startswith("new Promise"):
            return current.parent is not None and current.parent.type == "await_expression"
        current = current.parent
    return False


def _in_error_handler(code: UnitCode, node: Node) -> bool:
    current = node.parent
    while current is not None and current != code.function:
        if current.type in _HANDLERS:
            return True
        current = current.parent
    return False
