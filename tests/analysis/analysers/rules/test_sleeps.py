"""Sleeps on the request path."""

from __future__ import annotations

from apiscope.analysis.analysers.rules.sleeps import SleepInRequest
from tests.analysis.analysers.conftest import Check

RULE = SleepInRequest()


def test_sleeps_in_python_java_and_js(check: Check) -> None:
    """`time.sleep` in a sync view, `Thread.sleep`, and an awaited `setTimeout` promise."""
    python = """
        def handler(request):
            time.sleep(2)
            return "ok"
    """
    java = """
        class Slow {
            public String handler() throws InterruptedException {
                Thread.sleep(500);
                return "ok";
            }
        }
    """
    js = """
        async function handler(req, res) {
          await new Promise((resolve) => setTimeout(resolve, 300));
          res.end();
        }
    """
    assert check(RULE, python) == [((2, 2),)]
    assert check(RULE, java, "java") == [((3, 3),)]
    assert check(RULE, js, "javascript") == [((2, 2),)]


def test_backoff_yield_and_coroutine_sleep_are_left_out(check: Check) -> None:
    """A sleep in `except` is a backoff; `asyncio.sleep(0)` yields; `time.sleep` in a
    coroutine is the blocking rule's."""
    source = """
        async def handler():
            try:
                return await fetch_data()
            except TimeoutError:
                await asyncio.sleep(1)
            await asyncio.sleep(0)
            time.sleep(1)
    """
    assert check(RULE, source) == []


def test_go_sleep_and_an_async_sleep(check: Check) -> None:
    """Go `time.Sleep`; Python `await asyncio.sleep(n)` pauses the request too."""
    go = """
        package api

        func handler(w http.ResponseWriter, r *http.Request) {
            time.Sleep(200 * time.Millisecond)
        }
    """
    python = """
        async def handler():
            await asyncio.sleep(0.2)
    """
    assert check(RULE, go, "go") == [((4, 4),)]
    assert check(RULE, python) == [((2, 2),)]
