"""How a report is drawn, from a result of the contract's shape (returned by the `echo` test
job kind, so every field is chosen here): links, colours, and text that stays text."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.web.conftest import submit

SHA = "0123456789abcdef0123456789abcdef01234567"
HOSTILE = '<img src="x" onerror="window.__pwned = 1">'


def analysis_result(repo: str, commit: str | None) -> dict[str, Any]:
    route = {
        "method": "GET",
        "path": "/orders/{id}",
        "file": "api/orders.py",
        "line": 12,
        "handler": "get_order",
    }
    return {
        "repository": {"repo": repo, "branch": "main", "commit": commit},
        "discovered_apis": [{**route, "framework": "fastapi"}],
        "matched_apis": [
            {
                "worst_api": {"method": "GET", "path": "/orders/7", "p95_ms": 2400},
                "route": route,
                "color": "red",
                "reason": "red: p95 2,400 ms ≥ 1,000 ms",
            },
            {
                "worst_api": {"method": "DELETE", "path": "/carts/1", "p95_ms": 90},
                "route": None,
                "color": "grey",
                "reason": "grey: no route in the code matches DELETE /carts/1",
            },
        ],
        "ai_analysis": {
            "provider": "rules",
            "summary": f"Summary {HOSTILE}",
            "summaries": {},
            "warnings": [],
            "findings": [
                {
                    "api": "GET /orders/{id}",
                    "rule": "n-plus-one",
                    "severity": "high",
                    "title": f"Title {HOSTILE}",
                    "explanation": "Calls `db.get()` in a loop.",
                    "evidence": [
                        {
                            "file": "api/orders.py",
                            "line_start": 14,
                            "line_end": 15,
                            "snippet": f"for x in xs:\n    db.get(x)  # {HOSTILE}",
                        }
                    ],
                    "recommendation": "Batch it.",
                },
            ],
        },
        "stats": {},
    }


def test_a_report_links_code_at_the_commit_and_colours_each_api(open_ui) -> None:
    """Routes and evidence link to GitHub at the commit; an API without code is grey and
    says so; snippets keep their line numbers."""
    ui = open_ui()
    page = ui.open(f"/jobs/{submit(ui.server, 'echo', analysis_result('acme/shop', SHA))}")

    rows = page.locator("table.worst-apis tbody tr")
    expect(rows.locator(".chip")).to_have_text(["red", "grey"])
    expect(rows.nth(0).locator("a.location")).to_have_attribute(
        "href", f"https://github.com/acme/shop/blob/{SHA}/api/orders.py#L12"
    )
    expect(rows.nth(1)).to_contain_text("no matching code")
    evidence = page.locator(".evidence")
    expect(evidence.locator("a.location")).to_have_attribute(
        "href", f"https://github.com/acme/shop/blob/{SHA}/api/orders.py#L14-L15"
    )
    expect(evidence.locator(".ln")).to_have_text(["14", "15"])
    expect(page.locator(".finding p code")).to_have_text("db.get()")
    expect(rows.nth(0).get_by_role("link", name="1 finding ↓")).to_have_attribute(
        "href", "#findings-1"
    )


def test_without_a_github_repository_locations_are_plain_text(open_ui) -> None:
    """A local repository (or no commit) gives `file:line` as text, not a guessed link."""
    ui = open_ui()
    page = ui.open(f"/jobs/{submit(ui.server, 'echo', analysis_result('/srv/shop', None))}")

    expect(page.locator("table.worst-apis span.location")).to_have_text("api/orders.py:12")
    expect(page.locator("table.worst-apis a.location")).to_have_count(0)


def test_text_from_the_repository_is_shown_as_text_never_as_markup(open_ui) -> None:
    """Markup in titles, summaries and snippets is displayed literally and never runs."""
    ui = open_ui()
    page = ui.open(f"/jobs/{submit(ui.server, 'echo', analysis_result('acme/shop', SHA))}")

    expect(page.locator(".finding-title")).to_have_text(f"Title {HOSTILE}")
    expect(page.locator(".summary")).to_have_text(f"Summary {HOSTILE}")
    expect(page.locator(".evidence pre")).to_contain_text(HOSTILE)
    assert page.locator(".report img").count() == 0
    assert page.evaluate("window.__pwned") is None
