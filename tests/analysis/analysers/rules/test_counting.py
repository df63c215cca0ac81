"""Rows loaded only to be counted."""

from __future__ import annotations

from apiscope.analysis.analysers.rules.counting import CountByLoadingRows
from tests.analysis.analysers.conftest import Check

RULE = CountByLoadingRows()


def test_len_of_a_queryset_and_length_of_find_many(check: Check) -> None:
    """`len(Model.objects.filter(...))` in Python, `(await findMany()).length` in JS."""
    python = """
        def handler(request):
            unread = len(Message.objects.filter(user=request.user, read=False))
            return {"unread": unread}
    """
    js = """
        async function handler(req, res) {
          const total = (await prisma.order.findMany({ where: { userId: req.user.id } })).length;
          res.json({ total });
        }
    """
    assert check(RULE, python) == [((2, 2),)]
    assert check(RULE, js, "javascript") == [((2, 2),)]


def test_database_counts_and_len_of_lists_are_fine(check: Check) -> None:
    """`.count()`, and `len()` of an in-memory list or of rows also used otherwise, are fine."""
    source = """
        def handler(request):
            unread = Message.objects.filter(read=False).count()
            tags = len(request.GET.getlist("tag"))
            rows = list(Message.objects.filter(read=False))
            return unread, tags, len(rows), rows
    """
    assert check(RULE, source) == []


def test_java_find_all_size(check: Check) -> None:
    """Java: `repository.findAll().size()` instead of `count()`."""
    source = """
        class Stats {
            public long handler() {
                return orderRepository.findAll().size() + orderRepository.count();
            }
        }
    """
    assert check(RULE, source, "java") == [((3, 3),)]
