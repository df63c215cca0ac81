"""Joins written as nested loops."""

from __future__ import annotations

from apiscope.analysis.analysers.rules.nested_loops import NestedLoopJoin
from tests.analysis.analysers.conftest import Check

RULE = NestedLoopJoin()


def test_python_nested_for_and_comprehension_joins(check: Check) -> None:
    """An inner `for` matching ids, and a comprehension inside a loop doing the same."""
    source = """
        def handler(orders, products, users):
            for order in orders:
                for product in products:
                    if product.id == order.product_id:
                        order.product = product
            for order in orders:
                order.user = next(u for u in users if u.id == order.user_id)
            return orders
    """
    assert check(RULE, source) == [((3, 4),), ((7, 7),)]


def test_walking_an_items_own_children_is_no_join(check: Check) -> None:
    """Looping over `order.lines` inside `for order` walks one tree, it searches nothing."""
    source = """
        def handler(orders):
            for order in orders:
                for line in order.lines:
                    if line.order_id == order.id:
                        line.total = line.price * line.quantity
            for a in orders:
                for b in ("x", "y"):
                    if a.kind == b:
                        a.flag = True
            return orders
    """
    assert check(RULE, source) == []


def test_js_find_inside_map(check: Check) -> None:
    """JS: `products.find(p => p.id === o.productId)` for each order."""
    source = """
        function handler(req, res) {
          const rows = orders.map((o) => ({
            ...o,
            product: products.find((p) => p.id === o.productId),
          }));
          res.json(rows);
        }
    """
    assert check(RULE, source, "javascript") == [((4, 4),)]


def test_go_nested_range_join(check: Check) -> None:
    """Go: two range loops comparing ids."""
    source = """
        package api

        func handler(w http.ResponseWriter, r *http.Request) {
            for _, b := range books {
                for _, a := range authors {
                    if a.ID == b.AuthorID {
                        b.Author = a.Name
                    }
                }
            }
        }
    """
    assert check(RULE, source, "go") == [((5, 6),)]
