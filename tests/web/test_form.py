"""The analysis form: CSV and JSON input read in the browser, access logs sent to
`apiscope worst`, the server's refusals shown in the form, and an analysis of a GitHub
repository (the fake GitHub server on loopback) whose report links to the analysed commit."""

from __future__ import annotations

import re
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from apiscope.analysis.demo import DEMO_ROOT
from tests.analysis.sources.fake_github import FakeGitHub, FakeRepo

SHA = "3f9c2a1b7d4e5f60718293a4b5c6d7e8f9012345"
WORST_CSV = """method,path,p95_ms,p99_ms,error_rate,requests
GET,/api/v1/orders,2950,4100,0.004,182340
POST,/api/v1/checkout,1290,3900,0.062,12011
GET,/healthz,4,9,0,864000
"""
NGINX_LINE = '10.0.0.1 - - [01/Jan/2026:00:00:00 +0000] "GET /a HTTP/1.1" 200 12 "-" "curl" 0.120'


@pytest.fixture
def github(tmp_path: Path) -> Iterator[FakeGitHub]:
    """GitHub with acme/shop: the demo application as its `main` branch at commit SHA."""
    archive = tmp_path / "shop.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(DEMO_ROOT, arcname=f"acme-shop-{SHA[:7]}")
    with FakeGitHub() as server:
        server.repos["acme", "shop"] = FakeRepo(
            refs={"main": SHA}, tarballs={SHA: archive.read_bytes()}
        )
        yield server


def test_a_csv_upload_is_analysed_with_links_to_the_commit_on_github(
    open_ui, github: FakeGitHub, tmp_path: Path
) -> None:
    """An uploaded CSV goes to the API as JSON objects, and the report links each route to its
    file and line on GitHub at the analysed commit."""
    ui = open_ui(APISCOPE_GITHUB_API_URL=github.api_url)
    csv_file = tmp_path / "worst.csv"
    csv_file.write_text(WORST_CSV)
    page = ui.open("/")

    page.get_by_label("Repository").fill("acme/shop")
    page.get_by_label("Or upload a file").set_input_files(csv_file)
    expect(page.locator("#worst-status")).to_have_text("3 worst APIs read from CSV.")
    with page.expect_request(re.compile(r"/analyze-worst-apis-with-github-async/$")) as sent:
        page.get_by_role("button", name="Analyse").click()

    assert sent.value.post_data_json["worst_apis"][1] == {
        "method": "POST", "path": "/api/v1/checkout", "p95_ms": 1290, "p99_ms": 3900,
        "error_rate": 0.062, "requests": 12011,
    }  # fmt: skip
    expect(page).to_have_url(re.compile(r"/jobs/[0-9a-f-]{36}$"))
    expect(page.get_by_role("heading", name="Report", exact=True)).to_be_visible()
    rows = page.locator("table.worst-apis tbody tr")
    expect(rows).to_have_count(3)
    link = rows.nth(0).locator("a.location")
    expect(link).to_have_attribute(
        "href",
        re.compile(rf"^https://github\.com/acme/shop/blob/{SHA}/app/routers/orders\.py#L\d+$"),
    )
    expect(rows.locator(".chip")).to_have_text(["red", "red", "green"])
    expect(page.locator(".repository")).to_contain_text("acme/shop on branch main")


def test_a_failed_analysis_can_be_run_again(open_ui, github: FakeGitHub) -> None:
    """A repository GitHub does not have fails with GitHub's reason, and "Run again" submits
    the same request as a new job."""
    ui = open_ui(APISCOPE_GITHUB_API_URL=github.api_url)
    page = ui.open("/")
    page.get_by_label("Repository").fill("acme/missing")
    page.get_by_label("Worst APIs").fill('[{"endpoint": "GET /api/v1/orders", "p95_ms": 900}]')
    page.get_by_role("button", name="Analyse").click()

    alert = page.get_by_role("alert")
    expect(alert.get_by_role("heading")).to_have_text("The job failed")
    expect(alert.locator(".error-text")).to_contain_text("acme/missing")
    first = page.url
    with page.expect_request(re.compile(r"/analyze-worst-apis-with-github-async/$")) as again:
        alert.get_by_role("button", name="Run again").click()
    assert again.value.post_data_json["repo"] == "acme/missing"
    expect(page).not_to_have_url(first)
    expect(page.get_by_role("alert").get_by_role("heading")).to_have_text("The job failed")


def test_an_access_log_is_refused_with_what_to_do_instead(open_ui) -> None:
    """A pasted access log is not sent: the form says to rank it with `apiscope worst` first."""
    ui = open_ui()
    page = ui.open("/")
    page.get_by_label("Repository").fill("acme/shop")
    page.get_by_label("Worst APIs").fill(NGINX_LINE)

    expect(page.locator("#worst-status")).to_contain_text("apiscope worst LOGFILE --json")
    page.get_by_role("button", name="Analyse").click()
    expect(page.locator(".analyze-form .form-error")).to_contain_text(
        "This looks like an access log"
    )
    expect(page).to_have_url(f"{ui.url}/")


def test_the_server_refusing_the_input_is_shown_in_the_form(open_ui) -> None:
    """A 422 from the API (here: a local path, not allowed over HTTP) is shown in the form,
    which keeps what was typed so it can be corrected and sent again."""
    ui = open_ui()
    page = ui.open("/")
    page.get_by_label("Repository").fill("/etc")
    page.get_by_label("Worst APIs").fill('[{"endpoint": "GET /a", "p95_ms": 900}]')
    page.get_by_role("button", name="Analyse").click()

    expect(page.locator(".analyze-form .form-error")).to_contain_text(
        "The server refused the input: repo: "
    )
    expect(page.get_by_label("Repository")).to_have_value("/etc")
    expect(page).to_have_url(f"{ui.url}/")
