"""Identical reads made twice."""

from __future__ import annotations

from apiscope.analysis.analysers.rules.repeated_calls import RepeatedIdenticalCall
from tests.analysis.analysers.conftest import Check

RULE = RepeatedIdenticalCall()


def test_same_query_twice_points_at_both(check: Check) -> None:
    """The second `Customer.objects.get(id=customer_id)` repeats the first."""
    source = """
        def handler(request, customer_id):
            name = Customer.objects.get(id=customer_id).name
            log.info("customer %s", name)
            email = Customer.objects.get(id=customer_id).email
            return name, email
    """
    assert check(RULE, source) == [((4, 4), (2, 2))]


def test_repeat_of_a_project_read_function(check: Check) -> None:
    """`get_profile(user_id)` twice, the function being the project's own."""
    source = """
        def handler(user_id):
            if get_profile(user_id).banned:
                return None
            return render(get_profile(user_id))


        def get_profile(user_id):
            return Profile.objects.get(user_id=user_id)
    """
    assert check(RULE, source) == [((4, 4), (2, 2))]


def test_a_write_or_a_reassignment_in_between_makes_it_no_repeat(check: Check) -> None:
    """Re-reading after `save()`, or after the argument changed, is not repeated work."""
    source = """
        def handler(order_id):
            before = Order.objects.get(id=order_id)
            before.status = "paid"
            before.save()
            after = Order.objects.get(id=order_id)
            key = "a"
            first = cache_client.get(f"https://cache/{key}")
            key = "b"
            second = cache_client.get(f"https://cache/{key}")
            return before, after, first, second
    """
    assert check(RULE, source) == []


def test_calls_in_exclusive_branches_are_no_repeat(check: Check) -> None:
    """Only one branch of an `if`/`else` runs."""
    source = """
        def handler(user_id, fresh):
            if fresh:
                user = User.objects.get(id=user_id)
            else:
                user = User.objects.get(id=user_id)
            return user
    """
    assert check(RULE, source) == []
