"""`SELECT *` in SQL strings."""

from __future__ import annotations

from apiscope.analysis.analysers.rules.select_star import SelectStar
from tests.analysis.analysers.conftest import Check

RULE = SelectStar()


def test_select_star_in_python_and_java(check: Check) -> None:
    """A multi-line `SELECT *` string is reported over its lines; `o.*` counts too."""
    python = '''
        def handler(cursor, user_id):
            cursor.execute(
                """
                SELECT *
                FROM orders WHERE user_id = %s
                """,
                (user_id,),
            )
            return cursor.fetchall()
    '''
    java = """
        class Orders {
            List<Order> handler(long id) {
                return jdbc.query("SELECT o.* FROM orders o WHERE o.user_id = ?", mapper, id);
            }
        }
    """
    assert check(RULE, python) == [((3, 6),)]
    assert check(RULE, java, "java") == [((3, 3),)]


def test_named_columns_counts_and_prose_are_fine(check: Check) -> None:
    """Named columns, `count(*)`, and a message that merely contains `select *` are fine."""
    source = """
        def handler(cursor):
            cursor.execute("SELECT id, name FROM users WHERE active")
            cursor.execute("SELECT count(*) FROM users")
            log.info("please select * items from the list")
            return cursor.fetchall()
    """
    assert check(RULE, source) == []
