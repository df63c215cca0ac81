"""N+1: a query per loop item, directly or through a helper, in every language it knows."""

from __future__ import annotations

import pytest

from apiscope.analysis.analysers.rules.in_loops import N_PLUS_ONE
from tests.analysis.analysers.conftest import Check


def test_django_query_in_a_for_loop_is_reported_on_its_line(check: Check) -> None:
    """`Customer.objects.get` in the loop body is one query per order."""
    source = """
        def handler(request):
            orders = Order.objects.filter(paid=True)
            for order in orders:
                order.customer = Customer.objects.get(
                    id=order.customer_id,
                )
            return orders
    """
    assert check(N_PLUS_ONE, source) == [((4, 6),)]


def test_query_in_the_loops_iterable_runs_once(check: Check) -> None:
    """`for o in Order.objects.all()` queries once; a dict lookup in the body is no query."""
    source = """
        def handler(request):
            prices = {p.id: p for p in Product.objects.all()}
            for order in Order.objects.filter(paid=True).select_related("customer"):
                order.price = prices.get(order.product_id)
            return prices
    """
    assert check(N_PLUS_ONE, source) == []


def test_query_behind_a_helper_points_at_the_call_and_the_query(check: Check) -> None:
    """The loop calls `total_for`, which queries: both lines are the evidence."""
    source = """
        def handler(request):
            result = []
            for order in request.user.orders.all():
                result.append(total_for(order))
            return result


        def total_for(order):
            lines = session.query(LineItem).filter(LineItem.order_id == order.id).all()
            return sum(line.price for line in lines)
    """
    assert check(N_PLUS_ONE, source) == [((4, 4), (9, 9))]


def test_comprehension_body_queries_but_a_literal_loop_does_not(check: Check) -> None:
    """A query per element of a comprehension counts; a loop over two literal names does not."""
    source = """
        async def handler(ids):
            users = [await db.get(User, i) for i in ids]
            for field in ("email", "name"):
                await db.execute(update(User).values({field: None}))
            return users
    """
    assert check(N_PLUS_ONE, source) == [((2, 2),)]


def test_retry_loops_and_plain_while_loops_are_not_reported(check: Check) -> None:
    """Retrying a query, or polling in a `while`, is not a query per item of data."""
    source = """
        def handler(request):
            for attempt in range(retries):
                try:
                    return cursor.execute("SELECT 1")
                except OperationalError:
                    continue
            while not done:
                done = cursor.execute("SELECT done FROM jobs").fetchone()
    """
    assert check(N_PLUS_ONE, source) == []


def test_prisma_in_map_callback_and_typeorm_in_for_of(check: Check) -> None:
    """JS: `ids.map(id => prisma.user.findUnique(...))` and a repository call in `for … of`."""
    source = """
        async function handler(req, res) {
          const users = await Promise.all(req.body.ids.map((id) => prisma.user.findUnique({ id })));
          for (const order of users) {
            order.lines = await this.lineRepository.find({ where: { orderId: order.id } });
          }
          res.json(users);
        }
    """
    assert check(N_PLUS_ONE, source, "javascript") == [((2, 2),), ((4, 4),)]


def test_js_array_methods_on_plain_data_are_no_queries(check: Check) -> None:
    """`items.find(...)` inside a loop is an array search, not Mongoose's `Model.find`."""
    source = """
        async function handler(req, res) {
          const products = await Product.find({ active: true });
          for (const item of req.body.items) {
            item.product = products.find((p) => p.id === item.productId);
            item.label = Object.keys(item).join(",");
          }
          res.json(req.body.items);
        }
    """
    assert check(N_PLUS_ONE, source, "javascript") == []


def test_spring_data_repository_in_enhanced_for(check: Check) -> None:
    """Java: `reviewRepository.findByBookId` per book."""
    source = """
        class BookController {
            public List<BookDto> handler() {
                List<BookDto> result = new ArrayList<>();
                for (Book book : bookRepository.findAll()) {
                    result.add(new BookDto(book, reviewRepository.findByBookId(book.getId())));
                }
                return result;
            }
        }
    """
    assert check(N_PLUS_ONE, source, "java") == [((5, 5),)]


def test_go_query_row_while_iterating_rows(check: Check) -> None:
    """Go: `db.QueryRow` inside `for rows.Next()`; a bounded loop, and the Redis client
    `rdb`, are not reported."""
    source = """
        package api

        func handler(w http.ResponseWriter, r *http.Request) {
            rows, _ := s.db.Query("SELECT id, author_id FROM books")
            for rows.Next() {
                var b Book
                rows.Scan(&b.ID, &b.AuthorID)
                s.db.QueryRow("SELECT name FROM authors WHERE id = $1", b.AuthorID).Scan(&b.Author)
            }
            for i := 0; i < 3; i++ {
                s.db.Exec("SELECT 1")
            }
            for _, key := range keys {
                rdb.Get(ctx, key)
            }
        }
    """
    assert check(N_PLUS_ONE, source, "go") == [((8, 8),)]


@pytest.mark.parametrize(
    ("language", "source", "expected"),
    [
        (
            "ruby",
            """
            class PhotosController
              def handler
                @photos.each do |photo|
                  photo.comments_count = Comment.where(photo_id: photo.id).count
                end
                File.exists?("x")
              end
            end
            """,
            [((4, 4),)],
        ),
        (
            "php",
            """
            <?php
            class PostController {
                public function handler() {
                    foreach ($ids as $id) {
                        $posts[] = Post::find($id);
                        $cached = Cache::get($id);
                    }
                }
            }
            """,
            [((5, 5),)],
        ),
    ],
    ids=["rails", "laravel"],
)
def test_active_record_and_eloquent_but_not_core_classes_or_facades(
    check: Check, language: str, source: str, expected: list[tuple[tuple[int, int], ...]]
) -> None:
    """Ruby and PHP models count; `File.exists?` and `Cache::get` are not queries."""
    assert check(N_PLUS_ONE, source, language) == expected
