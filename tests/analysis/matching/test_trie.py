"""The segment trie: what matches what, and which route wins."""

from __future__ import annotations

import pytest

from apiscope.analysis.matching import Match, Matcher
from tests.analysis.matching.conftest import route

USERS = [
    route("GET", "/users/{id}", 1),
    route("GET", "/users/me", 2),
    route("POST", "/users", 3),
    route("GET", "/users", 4),
    route("DELETE", "/users/{id}", 5),
]


def path_of(matcher: Matcher, method: str, url: str) -> str | None:
    found = matcher.lookup(method, url)
    return found.route.path if found.match is Match.FULL and found.route else None


def test_static_segment_beats_parameter() -> None:
    """`/users/me` is matched by the static route even though `/users/{id}` also fits."""
    matcher = Matcher(USERS)
    assert matcher.lookup("GET", "/users/me").route == USERS[1]
    assert matcher.lookup("GET", "/users/42").route == USERS[0]


def test_static_route_declared_after_parameter_still_wins() -> None:
    """Specificity does not depend on declaration order."""
    matcher = Matcher(list(reversed(USERS)))
    assert path_of(matcher, "GET", "/users/me") == "/users/me"


@pytest.mark.parametrize(
    "url",
    ["/users/42?expand=orders", "/users/42/", "https://api.example.com/users/42", "/users//42",
     "/users/42#top", "users/42"],
)  # fmt: skip
def test_query_trailing_slash_host_and_double_slashes_are_ignored(url: str) -> None:
    """Query strings, fragments, hosts, trailing and doubled slashes do not change the match."""
    assert path_of(Matcher(USERS), "GET", url) == "/users/{id}"


def test_percent_encoded_segments_are_decoded() -> None:
    """`/caf%C3%A9` matches the static route `/café`, and an encoded slash stays in its segment."""
    matcher = Matcher([route("GET", "/café"), route("GET", "/files/{name}")])
    assert path_of(matcher, "GET", "/caf%C3%A9") == "/café"
    assert path_of(matcher, "GET", "/files/a%2Fb") == "/files/{name}"


def test_route_trailing_slash_is_ignored() -> None:
    """A Django-style `/items/` route matches `/items` and `/items/`."""
    matcher = Matcher([route("GET", "/items/")])
    assert path_of(matcher, "GET", "/items") == "/items/"
    assert path_of(matcher, "GET", "/items/") == "/items/"


def test_head_is_answered_by_get() -> None:
    """HEAD matches a GET route, as every framework answers it."""
    assert Matcher(USERS).lookup("HEAD", "/users/7").route == USERS[0]


def test_explicit_head_route_beats_get() -> None:
    """A HEAD route declared for the path is preferred over its GET route."""
    head = route("HEAD", "/users/{id}", 9)
    assert Matcher([*USERS, head]).lookup("HEAD", "/users/7").route == head


def test_any_route_answers_every_method() -> None:
    """A route for `ANY` method matches PATCH, and a specific method beats it."""
    anything = route("ANY", "/hooks/{name}", 1)
    post = route("POST", "/hooks/{name}", 2)
    matcher = Matcher([anything, post])
    assert matcher.lookup("PATCH", "/hooks/github").route == anything
    assert matcher.lookup("POST", "/hooks/github").route == post


def test_method_is_case_insensitive() -> None:
    """`get` matches like `GET`."""
    assert Matcher(USERS).lookup("get", "/users/1").route == USERS[0]


def test_unknown_request_method_prefers_get() -> None:
    """A request without a method takes the path's GET route, or else its first by name."""
    matcher = Matcher(USERS)
    assert matcher.lookup(None, "/users/1").route == USERS[0]
    assert Matcher([route("PUT", "/a"), route("POST", "/a")]).lookup("ANY", "/a").route == route(
        "POST", "/a"
    )


def test_partial_when_only_the_method_differs() -> None:
    """A path declared for other methods is PARTIAL, with the methods it does allow."""
    found = Matcher(USERS).lookup("PATCH", "/users/1")
    assert found.match is Match.PARTIAL
    assert found.allowed == ("DELETE", "GET")
    assert found.route is not None and found.route.path == "/users/{id}"


def test_full_match_on_a_less_specific_branch_beats_partial() -> None:
    """`DELETE /users/me` falls through the GET-only static route to `DELETE /users/{id}`."""
    assert Matcher(USERS).lookup("DELETE", "/users/me").route == USERS[4]


def test_none_when_no_path_matches() -> None:
    """An undeclared path is NONE, with no route."""
    found = Matcher(USERS).lookup("GET", "/orders/1")
    assert found.match is Match.NONE and found.route is None


def test_parameter_never_matches_an_empty_or_missing_segment() -> None:
    """`/users/{id}` does not match `/users` when only `POST /users` exists for it."""
    matcher = Matcher([route("GET", "/users/{id}")])
    assert matcher.lookup("GET", "/users").match is Match.NONE
    assert matcher.lookup("GET", "/users/1/extra").match is Match.NONE


def test_backtracks_out_of_a_dead_end_static_branch() -> None:
    """`/users/me/orders` is not declared, so `/users/{id}/orders` matches it."""
    matcher = Matcher([route("GET", "/users/me"), route("GET", "/users/{id}/orders")])
    assert path_of(matcher, "GET", "/users/me/orders") == "/users/{id}/orders"


CATCH_ALLS = ["{p:path}", "{p...}", "{*p}", "{**p}", "*", "*p", "{p:.*}"]


@pytest.mark.parametrize("template", [f"/static/{c}" for c in CATCH_ALLS])
def test_catch_all_matches_the_rest_of_the_path(template: str) -> None:
    """Every catch-all spelling matches any depth below its prefix, and the prefix itself."""
    matcher = Matcher([route("GET", template)])
    for url in ("/static/app.js", "/static/js/vendor/app.js", "/static"):
        assert path_of(matcher, "GET", url) == template


def test_catch_all_loses_to_anything_more_specific() -> None:
    """A parameter route beats a catch-all at the same depth; the catch-all takes the rest."""
    matcher = Matcher([route("GET", "/{rest:path}", 1), route("GET", "/users/{id}", 2)])
    assert path_of(matcher, "GET", "/users/1") == "/users/{id}"
    assert path_of(matcher, "GET", "/users/1/avatar") == "/{rest:path}"


def test_catch_all_in_the_middle_is_a_plain_parameter() -> None:
    """Only a final segment can be a catch-all."""
    matcher = Matcher([route("GET", "/{rest:path}/edit")])
    assert path_of(matcher, "GET", "/x/edit") == "/{rest:path}/edit"
    assert matcher.lookup("GET", "/x/y/edit").match is Match.NONE


def test_typed_parameters_constrain_the_segment() -> None:
    """`{id:int}` only takes digits; other values fall through to a plain parameter."""
    matcher = Matcher([route("GET", "/items/{id:int}", 1), route("GET", "/items/{slug}", 2)])
    assert path_of(matcher, "GET", "/items/42") == "/items/{id:int}"
    assert path_of(matcher, "GET", "/items/blue-shoe") == "/items/{slug}"


def test_uuid_and_regex_constraints() -> None:
    """A `uuid` type and a Spring-style regex each match only their values."""
    matcher = Matcher([route("GET", "/o/{id:uuid}"), route("GET", r"/v/{code:[a-z]{2}\d{2}}")])
    assert path_of(matcher, "GET", "/o/0b8f2e7a-1234-4abc-9def-0123456789ab") == "/o/{id:uuid}"
    assert matcher.lookup("GET", "/o/42").match is Match.NONE
    assert path_of(matcher, "GET", "/v/ab12") == r"/v/{code:[a-z]{2}\d{2}}"
    assert matcher.lookup("GET", "/v/abc1").match is Match.NONE


def test_invalid_regex_constraint_is_read_as_a_plain_parameter() -> None:
    """A constraint that does not compile does not break compiling the other routes."""
    matcher = Matcher([route("GET", "/a/{x:[unclosed}"), route("GET", "/b")])
    assert path_of(matcher, "GET", "/a/anything") == "/a/{x:[unclosed}"


def test_mixed_segments() -> None:
    """`{id}.json` and `v{version}` match text around the parameter, and beat a plain parameter."""
    matcher = Matcher(
        [
            route("GET", "/r/{id}.json", 1),
            route("GET", "/r/{id}", 2),
            route("GET", "/api/v{n:int}/x"),
        ]
    )
    assert path_of(matcher, "GET", "/r/7.json") == "/r/{id}.json"
    assert path_of(matcher, "GET", "/r/7") == "/r/{id}"
    assert path_of(matcher, "GET", "/api/v2/x") == "/api/v{n:int}/x"
    assert matcher.lookup("GET", "/api/vX/x").match is Match.NONE


def test_root_route() -> None:
    """`/` matches the empty path and the bare host."""
    matcher = Matcher([route("GET", "/")])
    assert path_of(matcher, "GET", "/") == "/"
    assert path_of(matcher, "GET", "https://example.com") == "/"


def test_duplicate_routes_keep_the_first_declared() -> None:
    """Two declarations of the same method and path: the first (discovery order) is reported."""
    first, second = route("GET", "/dup", 1), route("GET", "/dup", 2)
    assert Matcher([first, second]).lookup("GET", "/dup").route == first


def test_configured_base_path_is_stripped_when_needed() -> None:
    """With base path `/prod`, `/prod/users/1` matches `/users/{id}` and reports the base path."""
    matcher = Matcher(USERS, base_paths=["/prod"])
    found = matcher.lookup("GET", "/prod/users/1")
    assert found.route == USERS[0] and found.base_path == "/prod"
    assert matcher.lookup("GET", "/users/1").base_path == ""


def test_base_path_is_not_stripped_when_the_url_matches_as_given() -> None:
    """A URL that matches with its prefix keeps it."""
    prod = route("GET", "/prod/status")
    matcher = Matcher([*USERS, prod], base_paths=["/prod"])
    assert matcher.lookup("GET", "/prod/status").route == prod
