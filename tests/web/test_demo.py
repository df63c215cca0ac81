"""The whole flow at once, as `make run` shows it: "Try the demo", the job followed live, the
report, and its deep link opened in a new tab. The report's screenshot is kept as an artefact."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.web.conftest import ARTIFACTS


def test_the_demo_runs_to_a_report_that_its_deep_link_shows_again(open_ui) -> None:
    """The demo's job page follows the analysis to a colour-coded report with findings and
    code; the same URL in a new tab shows the same report without running it again."""
    ui = open_ui()
    page = ui.open("/")
    page.get_by_role("button", name="Try the demo").click()

    expect(page).to_have_url(re.compile(r"/jobs/[0-9a-f-]{36}$"))
    expect(page.get_by_role("heading", name="Report", exact=True)).to_be_visible(timeout=45_000)
    bar = page.get_by_role("progressbar", name="Job progress")
    expect(bar).to_have_attribute("aria-valuenow", "100")
    progress = list(page.evaluate("window.__progress"))
    assert progress == sorted(progress) and progress[-1] == 100, progress
    assert progress[0] < 100, "the bar was shown before the analysis ended"

    rows = page.locator("table.worst-apis tbody tr")
    expect(rows).to_have_count(8)
    expect(page.locator("table.worst-apis .chip-red").first).to_be_visible()
    expect(page.locator(".finding").first).to_be_visible()
    expect(page.locator(".evidence pre").first).not_to_be_empty()
    expect(page.locator(".recommendation").first).to_contain_text("Recommendation:")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "report-full.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 1600})
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=ARTIFACTS / "report.png")

    jobs = ui.server.client.get("/jobs").json()["jobs"]
    again = ui.open(page.url.removeprefix(ui.url))
    expect(again.get_by_role("heading", name="Report", exact=True)).to_be_visible()
    expect(again.locator("table.worst-apis tbody tr")).to_have_count(8)
    assert ui.server.client.get("/jobs").json()["jobs"] == jobs, "no new job was started"
