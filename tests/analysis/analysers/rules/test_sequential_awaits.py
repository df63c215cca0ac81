"""Independent awaits run one after another."""

from __future__ import annotations

from apiscope.analysis.analysers.rules.sequential_awaits import SequentialAwaits
from tests.analysis.analysers.conftest import Check

RULE = SequentialAwaits()


def test_independent_fetches_in_a_row_are_one_finding(check: Check) -> None:
    """Three awaited fetches, none using another's result: one finding over their lines."""
    source = """
        async def handler(user_id: int):
            user = await get_user(user_id)
            orders = await fetch_orders(user_id)
            await load_preferences(user_id)
            return {"user": user, "orders": orders}
    """
    assert check(RULE, source) == [((2, 4),)]


def test_dependent_awaits_and_a_shared_session_are_not_reported(check: Check) -> None:
    """The second await uses the first's result; the last two share one session."""
    source = """
        async def handler(user_id: int, db):
            user = await get_user(user_id)
            orders = await get_orders(user.account_id)
            log.info("loaded")
            a = await get_items(db, user_id)
            b = await get_totals(db, user_id)
            return user, orders, a, b
    """
    assert check(RULE, source) == []


def test_writes_and_request_body_reads_are_not_suggested(check: Check) -> None:
    """`save` and `create` may depend on order; `request.json()` is no fetch."""
    source = """
        async def handler(request):
            body = await request.json()
            await save_audit(body)
            await create_order(body)
            return body
    """
    assert check(RULE, source) == []


def test_js_independent_awaits_and_transaction_client(check: Check) -> None:
    """JS: two independent Prisma reads are reported; reads on one transaction `tx` are not."""
    source = """
        async function handler(req, res) {
          const user = await prisma.user.findUnique({ where: { id: req.params.id } });
          const posts = await prisma.post.findMany({ where: { published: true } });
          await prisma.$transaction(async (tx) => {
            const a = await tx.user.findMany();
            const b = await tx.post.findMany();
          });
          res.json({ user, posts });
        }
    """
    assert check(RULE, source, "javascript") == [((2, 3),)]
