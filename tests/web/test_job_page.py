"""The job page: live progress and steps, cancelling, a failed job's error, deep links that
survive reloads, the fallback to polling, and the recent-jobs list."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.web.conftest import submit


def progress_seen(page: Page) -> list[int]:
    return list(page.evaluate("window.__progress"))


def test_the_progress_bar_advances_live_to_the_end(open_ui) -> None:
    """A running job's bar rises through several values over SSE, with no polling, to 100 %."""
    ui = open_ui()
    job_id = submit(ui.server, "sleep", {"seconds": 3, "steps": 6})
    requests: list[str] = []
    ui.context.on("request", lambda request: requests.append(request.url))
    page = ui.open(f"/jobs/{job_id}")

    bar = page.get_by_role("progressbar", name="Job progress")
    expect(bar).to_have_attribute("aria-valuenow", "100")
    expect(bar).to_have_attribute("aria-valuemin", "0")
    expect(bar).to_have_attribute("aria-valuemax", "100")
    expect(page.locator(".job .badge")).to_have_text("completed")
    expect(page.locator(".raw-result")).to_contain_text('"slept": 3')
    values = progress_seen(page)
    assert values == sorted(values) and len(set(values)) >= 4, values
    assert any(url.endswith(f"/jobs/{job_id}/events") for url in requests)
    assert not any("/status/" in url for url in requests)


def test_the_steps_message_and_elapsed_time_are_shown(open_ui, tmp_path: Path) -> None:
    """A pipeline's steps appear with their state, the current message above them, and the
    elapsed time beside the status."""
    ui = open_ui()
    params = {"marker": str(tmp_path / "marker"), "step_seconds": 1.5}
    page = ui.open(f"/jobs/{submit(ui.server, 'pipeline', params)}")

    expect(page.locator(".step-processing")).to_contain_text("discover")
    expect(page.locator(".message")).to_have_text("Discovering APIs...")
    expect(page.locator(".step")).to_have_count(3)
    expect(page.locator(".step-completed")).to_have_count(3)
    expect(page.locator(".step-name")).to_have_text(["fetch", "discover", "report"])
    expect(page.locator(".elapsed")).to_have_text(re.compile(r"^Elapsed \d+ s$"))


def test_a_failed_job_shows_its_error(open_ui) -> None:
    """A failed job says so plainly, with the job's own error text and a way to start over."""
    ui = open_ui()
    page = ui.open(f"/jobs/{submit(ui.server, 'refuse', {})}")

    alert = page.get_by_role("alert")
    expect(alert.get_by_role("heading")).to_have_text("The job failed")
    expect(alert.locator(".error-text")).to_have_text("repository not found")
    expect(alert.get_by_role("link", name="Start a new analysis")).to_have_attribute("href", "/")
    expect(page.get_by_role("progressbar")).to_have_attribute("data-state", "failed")
    expect(page.get_by_role("button", name="Cancel job")).to_be_hidden()


def test_cancel_a_running_job(open_ui) -> None:
    """The Cancel button stops a running job: the page and the API both say cancelled."""
    ui = open_ui()
    job_id = submit(ui.server, "sleep", {"seconds": 30, "steps": 300})
    page = ui.open(f"/jobs/{job_id}")
    expect(page.locator(".job .badge")).to_have_text("processing")

    page.get_by_role("button", name="Cancel job").click()

    expect(page.get_by_role("status").get_by_role("heading")).to_have_text("The job was cancelled")
    expect(page.locator(".job .badge")).to_have_text("cancelled")
    expect(page.get_by_role("button", name="Cancel job")).to_be_hidden()
    assert ui.server.client.get(f"/status/{job_id}").json()["status"] == "cancelled"


def test_an_unknown_job_says_so_and_can_be_retried(open_ui) -> None:
    """A deep link to a job the server does not know explains that, and "Try again" asks again."""
    ui = open_ui()
    page = ui.open("/jobs/no-such-job")

    expect(page.get_by_role("alert").get_by_role("heading")).to_have_text("No such job")
    with page.expect_request(re.compile(r"/jobs/no-such-job/events$")):
        page.get_by_role("button", name="Try again").click()
    expect(page.get_by_role("alert").get_by_role("heading")).to_have_text("No such job")


def test_the_deep_link_survives_reload_new_tabs_and_history(open_ui) -> None:
    """`/jobs/{id}` served to a browser is the UI: reloading it, opening it in a new tab, and
    going back to it all show the same job."""
    ui = open_ui()
    job_id = submit(ui.server, "echo", {"hello": "world"})
    page = ui.open(f"/jobs/{job_id}")
    expect(page.locator(".raw-result")).to_contain_text('"hello": "world"')

    page.reload()
    expect(page.locator(".raw-result")).to_contain_text('"hello": "world"')
    page.get_by_role("link", name="← New analysis").click()
    expect(page).to_have_url(f"{ui.url}/")
    expect(page.get_by_role("heading", name="New analysis")).to_be_visible()
    page.go_back()
    expect(page).to_have_url(f"{ui.url}/jobs/{job_id}")
    expect(page.locator(".raw-result")).to_contain_text('"hello": "world"')
    other = ui.open(f"/jobs/{job_id}")
    expect(other.locator("code").filter(has_text=job_id)).to_be_visible()
    expect(other.locator(".raw-result")).to_contain_text('"hello": "world"')


def test_without_the_event_stream_the_page_polls(open_ui) -> None:
    """When SSE cannot be reached (a proxy in the way), the page polls /status and says so."""
    ui = open_ui()
    ui.context.route(re.compile(r"/events$"), lambda route: route.abort())
    job_id = submit(ui.server, "sleep", {"seconds": 5, "steps": 5})
    page = ui.open(f"/jobs/{job_id}")

    expect(page.locator(".mode")).to_have_text("· updating every 2 s")
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    expect(page.locator(".job .badge")).to_have_text("completed")


def test_recent_jobs_are_listed_newest_first_and_open_their_page(open_ui) -> None:
    """The home page lists the jobs, newest first, each linked to its page."""
    ui = open_ui(own_server=True)
    first = submit(ui.server, "echo", {"n": 1})
    second = submit(ui.server, "refuse", {})
    page = ui.open("/")

    items = page.locator(".job-item")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("refuse")
    expect(items.nth(1)).to_contain_text("echo")
    items.nth(1).get_by_role("link").click()
    expect(page).to_have_url(f"{ui.url}/jobs/{first}")
    expect(page.locator(".raw-result")).to_contain_text('"n": 1')
    assert second != first


def test_an_api_key_is_asked_for_kept_and_sent(open_ui) -> None:
    """On a server with API keys the UI asks for one after a 401, keeps it, and follows jobs
    live with it (the event stream is read with fetch, which can send the header)."""
    ui = open_ui(APISCOPE_API_KEYS="s3cret")
    job_id = submit(ui.server, "sleep", {"seconds": 1, "steps": 4}, key="s3cret")
    page = ui.open("/")

    expect(page.get_by_text("This server needs an API key (it answered 401).")).to_be_visible()
    page.get_by_label("API key").fill("s3cret")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Refresh").click()
    page.locator(".job-item").get_by_role("link").click()
    expect(page).to_have_url(f"{ui.url}/jobs/{job_id}")
    expect(page.locator(".job .badge")).to_have_text("completed")
    other = ui.open(f"/jobs/{job_id}")  # the key is remembered for new tabs
    expect(other.locator(".raw-result")).to_contain_text('"slept": 1')
