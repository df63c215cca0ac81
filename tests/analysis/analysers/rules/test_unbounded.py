"""Whole-table reads on list endpoints without pagination."""

from __future__ import annotations

from apiscope.analysis.analysers.rules.unbounded import UnboundedQuery
from tests.analysis.analysers.conftest import Check

RULE = UnboundedQuery()


def test_whole_table_reads_in_python(check: Check) -> None:
    """Django `.all().order_by()`, SQLAlchemy `query().all()` and `execute(select(X))`."""
    source = """
        async def handler(request, db):
            products = Product.objects.all().order_by("name")
            users = db.query(User).options(joinedload(User.roles)).all()
            rows = await db.execute(select(Order))
            return products, users, rows
    """
    assert check(RULE, source) == [((2, 2),), ((3, 3),), ((4, 4),)]


def test_filtered_sliced_and_paginated_queries_are_fine(check: Check) -> None:
    """A filter, a slice, `.first()` and a count are bounded."""
    source = """
        def handler(request):
            a = Product.objects.filter(active=True)
            b = Product.objects.all()[:50]
            c = session.query(User).filter_by(active=True).all()
            d = Order.objects.count()
            e = session.execute(select(User).where(User.active))
            return a, b, c, d, e
    """
    assert check(RULE, source) == []


def test_pagination_anywhere_in_the_endpoint_silences_the_rule(check: Check) -> None:
    """The handler pages the queryset: `Product.objects.all()` is not read whole."""
    source = """
        def handler(request):
            products = Product.objects.all()
            page = Paginator(products, 25).get_page(request.GET.get("page"))
            return page
    """
    assert check(RULE, source) == []


def test_write_endpoints_are_not_list_endpoints(check: Check) -> None:
    """On a POST, loading a whole table is another matter: not reported."""
    source = """
        def handler(request):
            return list(Product.objects.all())
    """
    assert check(RULE, source, method="POST") == []


def test_js_prisma_mongoose_and_raw_sql(check: Check) -> None:
    """`findMany()` without `where`/`take`, `Model.find({})`, and SQL with no WHERE."""
    source = """
        async function handler(req, res) {
          const users = await prisma.user.findMany({ include: { posts: true } });
          const orders = await Order.find({}).sort({ createdAt: -1 });
          const { rows } = await pool.query("SELECT id, name FROM customers ORDER BY name");
          const mine = await Order.find({ userId: req.user.id });
          const some = await prisma.user.findMany({ where: { active: true } });
          res.json({ users, orders, rows, mine, some });
        }
    """
    assert check(RULE, source, "javascript") == [((2, 2),), ((3, 3),), ((4, 4),)]


def test_spring_find_all_and_gorm_find(check: Check) -> None:
    """Java `repository.findAll()` (no Pageable); Go GORM `db.Find(&rows)` with no `Where`."""
    java = """
        class Books {
            public List<Book> handler() {
                List<Book> some = bookRepository.findAll(PageRequest.of(0, 20)).getContent();
                return bookRepository.findAll();
            }
        }
    """
    go = """
        package api

        func handler(c *gin.Context) {
            var books []Book
            h.db.Find(&books)
            h.db.Where("author_id = ?", c.Param("id")).Find(&books)
            c.JSON(200, books)
        }
    """
    assert check(RULE, java, "java") == []  # `PageRequest` in the handler: it pages
    assert check(RULE, go, "go") == [((5, 5),)]
