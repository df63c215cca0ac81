"""Blocking calls on an event loop: while one runs, the process serves no other request.

Python: inside an `async def` (or a plain function such a coroutine calls directly), a
synchronous HTTP client, `time.sleep`, a synchronous database driver, a subprocess. Code handed
to a thread (`asyncio.to_thread(requests.get, url)`, a lambda given to `run_in_executor`) is not
flagged: only calls made by the coroutine's own body. Node: the `…Sync` file, process, crypto
and compression APIs, and bcrypt's synchronous hashing, anywhere on a request's path.
"""

from __future__ import annotations

from collections.abc import Iterator

from apiscope.analysis.analysers.base import Severity
from apiscope.analysis.analysers.rules.base import JS, PYTHON, ApiCode, Hit, queries
from apiscope.analysis.analysers.rules.calls import Call
from apiscope.analysis.analysers.rules.code import UnitCode

_CONNECT = "a synchronous database connection"
_CHILD = "a wait for a child process"
_PY_BLOCKING = {
    "time.sleep": "a sleep that stops the whole loop",
    "urllib.request.urlopen": "a synchronous HTTP request",
    "urlopen": "a synchronous HTTP request",
    "psycopg2.connect": _CONNECT,
    "psycopg.connect": _CONNECT,
    "pymysql.connect": _CONNECT,
    "sqlite3.connect": _CONNECT,
    "mysql.connector.connect": _CONNECT,
    "subprocess.run": _CHILD,
    "subprocess.call": _CHILD,
    "subprocess.check_call": _CHILD,
    "subprocess.check_output": _CHILD,
    "os.system": _CHILD,
    "httpx.Client": "a synchronous HTTP client",
    "requests.Session": "a synchronous HTTP session",
}
_HTTP_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request"})
_NODE_SYNC = frozenset(
    {"readFileSync", "writeFileSync", "appendFileSync", "readdirSync", "execSync",
     "execFileSync", "spawnSync", "pbkdf2Sync", "scryptSync", "gzipSync", "gunzipSync",
     "deflateSync", "inflateSync", "brotliCompressSync", "brotliDecompressSync",
     "copyFileSync", "generateKeyPairSync", "unzipSync"}
)  # fmt: skip
_BCRYPT_SYNC = frozenset({"hashSync", "compareSync", "genSaltSync"})


class BlockingCallInAsync:
    """A blocking call made on the event loop."""

    id = "blocking-call-in-async"
    severity: Severity = "high"
    label = "blocking calls on the event loop"
    languages = PYTHON | JS

    def check(self, code: UnitCode, api: ApiCode) -> Iterator[Hit]:
        """One hit per unit, with every blocking call in it as evidence."""
        if code.language == "python":
            origin = _coroutine_reaching(code, api, frozenset())
            found = list(_python_blocking_calls(code)) if origin is not None else []
            advice = _PY_ADVICE
        else:
            origin, found, advice = None, list(_node_blocking_calls(code)), _NODE_ADVICE
        if found:
            yield _hit(code, found, origin, advice)


def _python_blocking_calls(code: UnitCode) -> Iterator[tuple[Call, str]]:
    """Blocking calls made by the unit's own body (not by functions nested in it)."""
    sync_queries = {e.call.node: e.label for e in queries(code) if not _awaited(e.call)}
    for call in code.calls:
        if code.enclosing_function(call.node) != code.function:
            continue  # a nested function or lambda: maybe run in a thread
        label = sync_queries.get(call.node)
        why = _python_blocking(call)
        if why is None and label is not None and not label.startswith("Django"):
            why = "a query on a synchronous connection"
        if why is not None:
            yield call, why


def _node_blocking_calls(code: UnitCode) -> Iterator[tuple[Call, str]]:
    for call in code.calls:
        if call.name in _NODE_SYNC or (call.name in _BCRYPT_SYNC and "bcrypt" in call.root):
            yield call, "synchronous"


_PY_ADVICE = (
    "Use the async equivalent (`httpx.AsyncClient`, `asyncio.sleep`, an async driver such as "
    "asyncpg or SQLAlchemy's `AsyncSession`), or run the call in a thread with "
    "`await asyncio.to_thread(...)`; or declare the endpoint with plain `def` so the framework "
    "runs it in its thread pool."
)
_NODE_ADVICE = (
    "Use the asynchronous API (`fs.promises.readFile`, `child_process.execFile` with a callback "
    "or promise, `crypto.pbkdf2` with a callback, `bcrypt.hash`), or move the work to a worker "
    "thread."
)


def _python_blocking(call: Call) -> str | None:
    if (
        call.root in ("requests", "httpx")
        and len(call.segments) == 2
        and (call.name in _HTTP_VERBS)
    ):
        return "a synchronous HTTP request"
    if call.callee == "open().read":
        return "a synchronous file read"
    return _PY_BLOCKING.get(call.callee)


def _awaited(call: Call) -> bool:
    """Whether a chain's result is awaited (`await session.execute(...)`)."""
    parent = call.node.parent
    while parent is not None and parent.type in ("parenthesized_expression",):
        parent = parent.parent
    return parent is not None and parent.type == "await"


def _coroutine_reaching(code: UnitCode, api: ApiCode, seen: frozenset[int]) -> str | None:
    """The coroutine whose event loop runs this unit: itself, or one calling it directly."""
    if code.is_async():
        return code.ref
    if id(code) in seen:
        return None
    for caller, call in api.callers(code):
        if caller.enclosing_function(call.node) == caller.function:
            found = _coroutine_reaching(caller, api, seen | {id(code)})
            if found is not None:
                return found
    return None


def _hit(code: UnitCode, found: list[tuple[Call, str]], origin: str | None, advice: str) -> Hit:
    if origin is None:
        context = f"{code.ref} runs on Node's event loop"
    elif origin == code.ref:
        context = f"{origin} is a coroutine"
    else:
        context = f"{code.ref} is called directly by the coroutine {origin}"
    calls = "; ".join(f"`{call.shown}` ({why})" for call, why in found)
    return Hit(
        spots=tuple(code.spot(call.node) for call, _ in found),
        title=f"Blocking call on the event loop in {code.name}",
        explanation=(
            f"{context}, yet it makes blocking calls: {calls}. While each runs, the event loop "
            "serves no other request."
        ),
        recommendation=advice,
    )
