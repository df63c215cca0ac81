"""Blocking calls on an event loop: Python coroutines and Node handlers."""

from __future__ import annotations

from apiscope.analysis.analysers.rules.blocking import BlockingCallInAsync
from tests.analysis.analysers.conftest import Check

RULE = BlockingCallInAsync()


def test_sync_http_sleep_and_sync_orm_in_a_coroutine(check: Check) -> None:
    """`requests.post`, `time.sleep` and an un-awaited SQLAlchemy query in `async def`: one
    finding for the coroutine, each call as evidence."""
    source = """
        async def handler(payload, db):
            requests.post(
                "https://hooks/notify",
                json=payload,
            )
            time.sleep(0.5)
            user = db.query(User).filter(User.id == payload.user_id).first()
            return user
    """
    assert check(RULE, source) == [((2, 5), (6, 6), (7, 7))]


def test_awaited_and_threaded_calls_are_fine(check: Check) -> None:
    """Awaited async I/O, and blocking work handed to a thread, do not block the loop."""
    source = """
        async def handler(db, url):
            user = await db.execute(select(User))
            rates = await asyncio.to_thread(requests.get, url)
            page = await loop.run_in_executor(None, lambda: requests.get(url, timeout=3))
            await asyncio.sleep(0)
            return user
    """
    assert check(RULE, source) == []


def test_sync_handler_is_not_an_event_loop(check: Check) -> None:
    """A plain `def` endpoint runs in a worker thread: blocking there is no event-loop stall."""
    source = """
        def handler(url):
            time.sleep(1)
            return requests.get(url, timeout=3).json()
    """
    assert check(RULE, source) == []


def test_plain_helper_called_by_a_coroutine_blocks_its_loop(check: Check) -> None:
    """`load_rates` is sync but called directly from the coroutine: its request blocks."""
    source = """
        async def handler():
            rates = load_rates()
            return rates


        def load_rates():
            return requests.get("https://rates/latest", timeout=3).json()
    """
    assert check(RULE, source) == [((7, 7),)]


def test_node_sync_apis_and_bcrypt_sync_hashing(check: Check) -> None:
    """`fs.readFileSync` and `bcrypt.hashSync` block Node's loop; their async forms do not."""
    source = """
        async function handler(req, res) {
          const template = fs.readFileSync(path.join(__dirname, "mail.html"), "utf8");
          const hash = bcrypt.hashSync(req.body.password, 12);
          const other = await bcrypt.hash(req.body.password, 12);
          const text = await fs.promises.readFile("x.txt", "utf8");
          res.json({ hash, template });
        }
    """
    assert check(RULE, source, "javascript") == [((2, 2), (3, 3))]
