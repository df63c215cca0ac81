"""URL shapes that become parameters when no code is known."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apiscope.analysis.traffic.grouping import heuristic_path, substitute_block


@pytest.mark.parametrize(
    ("raw", "grouped"),
    [
        ("/users/42", "/users/{id}"),
        ("/users/42/orders/7", "/users/{id}/orders/{id}"),
        ("/o/0b8f2e7a-1234-4abc-9def-0123456789AB", "/o/{uuid}"),
        ("/commits/9fceb02d0ae598e95dc970b74767f19372d61af8", "/commits/{hash}"),
        ("/reports/2026-10-10", "/reports/{date}"),
        ("/events/2026-10-10T13:55:36Z", "/events/{date}"),
        ("/api/v2/users", "/api/v2/users"),
        ("/files/report-2026.pdf", "/files/report-2026.pdf"),
        ("/words/deadbeefcafe", "/words/deadbeefcafe"),
        ("/short/abc123", "/short/abc123"),
        ("/static/app.3f9a1c2e.js", "/static/app.{hash}.js"),
        ("/assets/site-9fceb02d0ae598e9.css", "/assets/site-{hash}.css"),
        ("/docs/read-me.md", "/docs/read-me.md"),
        ("/users/42/?tab=x", "/users/{id}"),
        ("/caf%C3%A9/1", "/café/{id}"),
        ("", "/"),
    ],
)
def test_shapes(raw: str, grouped: str) -> None:
    """Numbers, UUIDs, hashes (hex with letters and digits, 12+) and dates become parameters."""
    assert heuristic_path(raw) == grouped


segment = st.one_of(
    st.integers(0, 10**12).map(str),
    st.uuids().map(str),
    st.sampled_from(["users", "v1", "orders", "me", "a-b", "2026-01-31", "app.3f9a1c2e.js"]),
)
paths = st.lists(
    st.lists(segment, max_size=5).map(lambda s: "/" + "/".join(s)), min_size=1, max_size=20
)


@given(paths)
def test_block_substitution_equals_one_path_at_a_time(raw: list[str]) -> None:
    """The whole-block pass in C gives what grouping each path alone gives."""
    block = substitute_block([p.encode() for p in raw])
    decoded = [b.decode() for b in block if isinstance(b, bytes)]
    assert decoded == [heuristic_path(p) for p in raw]
