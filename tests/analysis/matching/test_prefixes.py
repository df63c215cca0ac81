"""Base-path detection: an API Gateway stage or mount prefix found from the URLs themselves."""

from __future__ import annotations

from apiscope.analysis.matching import Matcher, detect_base_paths
from tests.analysis.matching.conftest import route

ROUTES = [route("GET", "/users/{id}"), route("GET", "/orders/{id}"), route("GET", "/health")]


def test_stage_prefix_is_detected() -> None:
    """Most URLs under `/prod` match once it is removed: `/prod` is a base path."""
    urls = ["/prod/users/1", "/prod/orders/2", "/prod/health", "/users/3"]
    assert detect_base_paths(Matcher(ROUTES), urls) == ("/prod",)


def test_two_segment_mount_prefix_is_detected() -> None:
    """A mount path of two segments is found when no single segment explains the URLs."""
    urls = ["/api/v1/users/1", "/api/v1/orders/2", "/api/v1/health"]
    assert detect_base_paths(Matcher(ROUTES), urls) == ("/api/v1",)


def test_a_single_stray_url_is_not_a_base_path() -> None:
    """One unmatched URL under `/v2` is not enough evidence."""
    urls = ["/users/1", "/orders/2", "/v2/users/3"]
    assert detect_base_paths(Matcher(ROUTES), urls) == ()


def test_prefix_must_rescue_at_least_half_of_its_urls() -> None:
    """Under `/static` two of five URLs would match once stripped: not a base path."""
    urls = ["/static/health", "/static/users/1", "/static/a.js", "/static/b.js", "/static/c.css"]
    assert detect_base_paths(Matcher(ROUTES), urls) == ()


def test_nothing_detected_when_everything_matches() -> None:
    """URLs that all match as given need no base path."""
    assert detect_base_paths(Matcher(ROUTES), ["/users/1", "/health"]) == ()


def test_detected_base_path_makes_lookups_match() -> None:
    """The detected prefix, given back to the matcher, makes stage URLs match their routes."""
    matcher = Matcher(ROUTES)
    urls = ["/prod/users/1", "/prod/orders/2"]
    staged = matcher.with_base_paths(detect_base_paths(matcher, urls))
    found = staged.lookup("GET", "/prod/users/1")
    assert found.route == ROUTES[0] and found.base_path == "/prod"
