"""The SQLite store's single writer thread, with group commit.

SQLite takes one writer at a time, and in WAL mode the fixed cost of a write transaction (taking
the write lock, appending the commit frame, waking the caller's event loop) is larger than a
job's own UPDATE. So the writer thread takes every write waiting when it gets to run and commits
them together: each runs in a SAVEPOINT of one `BEGIN IMMEDIATE` transaction (a write that raises
is rolled back alone and only its caller sees the error), and no caller hears of its write before
the COMMIT that makes it durable. Under no load a batch is one write, as before; under load the
commits, thread hops and loop wake-ups are shared by the batch.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import sqlite3
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
Write = Callable[[sqlite3.Connection], Any]
Translate = Callable[[], contextlib.AbstractContextManager[None]]
MAX_BATCH = 64
"""Writes per transaction at most: bounds how long the write lock is held at once."""


class _Item:
    """One write waiting for the thread: what to run, inside a transaction or not, and the
    future of the caller's event loop that gets its outcome."""

    __slots__ = ("fn", "future", "loop", "transactional")

    def __init__(self, fn: Write, transactional: bool) -> None:
        self.fn = fn
        self.transactional = transactional
        self.loop = asyncio.get_running_loop()
        self.future: asyncio.Future[Any] = self.loop.create_future()


Outcome = tuple[_Item, Any, BaseException | None]


def _deliver(outcomes: list[Outcome]) -> None:
    """On the caller's loop: settle each future (one loop wake-up for a whole batch)."""
    for item, value, error in outcomes:
        if item.future.cancelled():
            continue
        if error is None:
            item.future.set_result(value)
        else:
            item.future.set_exception(error)


class GroupCommitWriter:
    """Runs writes on one thread, committing together the writes that queued up meanwhile."""

    def __init__(self, connect: Callable[[], sqlite3.Connection], translate: Translate) -> None:
        self._connect = connect
        self._translate = translate
        self._queue: queue.SimpleQueue[_Item | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        """Started by the first write, so a store that is never used costs no thread."""

    async def write(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run `fn` in a write transaction; its value once committed."""
        return await self._submit(fn, transactional=True)

    async def run_alone(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run `fn` on the writer's connection outside any transaction (for what SQLite refuses
        inside one, such as changing the journal mode)."""
        return await self._submit(fn, transactional=False)

    async def _submit(self, fn: Callable[[sqlite3.Connection], T], *, transactional: bool) -> T:
        item = _Item(fn, transactional)
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._serve, name="apiscope-sqlite-writer", daemon=True
            )
            self._thread.start()
        self._queue.put(item)
        value: T = await item.future
        return value

    async def stop(self) -> None:
        """Finish the writes already queued, then end the thread."""
        if self._thread is not None:
            self._queue.put(None)
            await asyncio.to_thread(self._thread.join)
            self._thread = None

    # -- the thread -----------------------------------------------------------------------------

    def _serve(self) -> None:
        while (first := self._queue.get()) is not None:
            batch = [first]
            while first.transactional and len(batch) < MAX_BATCH:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None or not item.transactional:
                    self._queue.put(item)  # runs after this batch, in its turn
                    break
                batch.append(item)
            outcomes = self._commit(batch) if first.transactional else [self._alone(first)]
            for loop in {item.loop for item, _, _ in outcomes}:
                mine = [outcome for outcome in outcomes if outcome[0].loop is loop]
                with contextlib.suppress(RuntimeError):  # that loop is closed: nobody waits
                    loop.call_soon_threadsafe(_deliver, mine)

    def _commit(self, batch: list[_Item]) -> list[Outcome]:
        """Run the batch in one transaction; the outcomes, all failed if the transaction was."""
        conn: sqlite3.Connection | None = None
        try:
            with self._translate():
                conn = self._connect()
                conn.execute("BEGIN IMMEDIATE")
                outcomes = [self._run_one(conn, item) for item in batch]
                conn.execute("COMMIT")
                return outcomes
        except BaseException as exc:  # BEGIN, COMMIT or SQLite itself failed: nothing written
            if conn is not None and conn.in_transaction:  # a failed COMMIT leaves it open
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            return [(item, None, exc) for item in batch]

    def _run_one(self, conn: sqlite3.Connection, item: _Item) -> Outcome:
        """One write in its own savepoint: rolled back alone if it raises."""
        conn.execute("SAVEPOINT write")
        try:
            with self._translate():
                value = item.fn(conn)
        except Exception as exc:
            conn.execute("ROLLBACK TO write")
            conn.execute("RELEASE write")
            return item, None, exc
        conn.execute("RELEASE write")
        return item, value, None

    def _alone(self, item: _Item) -> Outcome:
        try:
            with self._translate():
                return item, item.fn(self._connect()), None
        except BaseException as exc:
            return item, None, exc
