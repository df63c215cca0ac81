"""How `apiscope serve` hands out the UI, over real HTTP: the page and its assets with their
security and caching headers, and `/jobs/{id}` as the UI for browsers but JSON for clients."""

from __future__ import annotations

import re

from apiscope.web import STATIC_DIR
from tests.e2e.conftest import Server
from tests.web.conftest import submit

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_the_page_is_served_with_a_strict_content_security_policy(ui_server: Server) -> None:
    """GET / is the UI, with a CSP allowing only this origin and no framing, and nosniff."""
    server = ui_server
    response = server.client.get("/", headers={"Accept": BROWSER_ACCEPT})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<div id="app">' in response.text
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-cache"


def test_the_page_names_assets_that_are_served_and_cached_for_a_year(ui_server: Server) -> None:
    """Every script and stylesheet index.html names is served, cached as immutable (their names
    carry content hashes); the page has no inline script."""
    server = ui_server
    html = server.client.get("/").text
    assets = re.findall(r'(?:src|href)="(/static/assets/[^"]+)"', html)

    assert len(assets) == 2 and not re.search(r"<script(?![^>]*\bsrc=)", html)
    for asset in assets:
        response = server.client.get(asset)
        assert response.status_code == 200
        assert response.content == (STATIC_DIR / asset.removeprefix("/static/")).read_bytes()
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert response.headers["x-content-type-options"] == "nosniff"
    assert server.client.get("/static/favicon.svg").headers["cache-control"] == "no-cache"
    assert server.client.get("/static/assets/nope.js").status_code == 404


def test_a_job_url_is_the_ui_for_browsers_and_json_for_clients(ui_server: Server) -> None:
    """`/jobs/{id}` gives a browser navigation the UI and any other client the job's JSON;
    both vary by Accept, so no cache hands one to the other."""
    server = ui_server
    job_id = submit(server, "echo", {"x": 1})

    page = server.client.get(f"/jobs/{job_id}", headers={"Accept": BROWSER_ACCEPT})
    as_json = server.client.get(f"/jobs/{job_id}", headers={"Accept": "*/*"})
    refused_html = server.client.get(f"/jobs/{job_id}", headers={"Accept": "text/html;q=0"})

    assert page.headers["content-type"].startswith("text/html")
    assert "content-security-policy" in page.headers
    assert as_json.json()["job_id"] == job_id
    assert refused_html.json()["job_id"] == job_id
    assert "Accept" in page.headers["vary"] and "Accept" in as_json.headers["vary"]
    events = server.client.get(f"/jobs/{job_id}/events", headers={"Accept": BROWSER_ACCEPT})
    assert events.headers["content-type"].startswith("text/event-stream")


def test_api_errors_stay_json_under_the_ui(ui_server: Server) -> None:
    """An unknown job is still the contract's JSON 404 for API clients, UI or not."""
    server = ui_server
    response = server.client.get("/jobs/unknown")

    assert response.status_code == 404
    assert response.json() == {"detail": "Job not found"}
