"""The web UI in headless Chromium (Debian's `chromium`, driven by Playwright), against
`apiscope serve` running as a subprocess, as a user runs it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, expect, sync_playwright

from tests.conftest import skip_or_fail
from tests.e2e.conftest import Server, ServerStarter
from tests.e2e.conftest import start_server as start_server  # the fixture, shared

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
PROGRESS_RECORDER = """
window.__progress = [];
new MutationObserver((records) => {
  for (const record of records) {
    if (record.target.getAttribute("role") === "progressbar") {
      window.__progress.push(Number(record.target.getAttribute("aria-valuenow")));
    }
  }
}).observe(document, { subtree: true, attributes: true, attributeFilter: ["aria-valuenow"] });
"""
"""Records every value the progress bar shows, so a test can see it advance."""
TIMEOUT_MS = 20_000
"""Generous for a loaded CI machine; no test measures time."""

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        skip_or_fail(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's Chromium; Playwright downloads no browser of its own."""
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@dataclass
class Ui:
    """A browser context on one running server; pages share its localStorage."""

    server: Server
    browser: Browser
    problems: list[str] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)

    @property
    def url(self) -> str:
        return str(self.server.client.base_url).rstrip("/")

    def open(self, path: str = "/") -> Page:
        """A new tab of the same browser context at `path`."""
        page = self.context.new_page()
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("console", self._console)
        page.goto(self.url + path)
        self.pages.append(page)
        return page

    def _console(self, message: ConsoleMessage) -> None:
        # A 404 the UI handles (an unknown job) is logged by Chromium itself; anything else,
        # a CSP violation above all, is a defect.
        if message.type == "error" and "Failed to load resource" not in message.text:
            self.problems.append(f"console error: {message.text}")

    def __post_init__(self) -> None:
        self.context = self.browser.new_context(
            base_url=self.url, viewport={"width": 1280, "height": 900}, reduced_motion="reduce"
        )
        self.context.set_default_timeout(TIMEOUT_MS)
        self.context.add_init_script(PROGRESS_RECORDER)

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="session")
def ui_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One `apiscope serve` (default settings, the test job kinds) for the tests that need no
    settings of their own: a server start costs seconds, and each test makes its own jobs."""
    starter = ServerStarter(tmp_path_factory.mktemp("ui-server"))
    yield starter()
    starter.stop_all()


@pytest.fixture
def open_ui(browser: Browser, ui_server: Server, start_server: ServerStarter) -> Iterator:
    """A fresh browser context on the shared server, or on a server of its own when the test
    needs settings (`APISCOPE_...="..."`) or an empty job list (`own_server=True`)."""
    opened: list[Ui] = []

    def open_ui(*, own_server: bool = False, **settings: Any) -> Ui:
        server = start_server(**settings) if own_server or settings else ui_server
        ui = Ui(server, browser)
        opened.append(ui)
        return ui

    yield open_ui
    for ui in opened:
        ui.close()
    problems = [problem for ui in opened for problem in ui.problems]
    assert not problems, problems


def submit(server: Server, kind: str, params: dict[str, object], key: str | None = None) -> str:
    """Submit a job through the API, as another client would; its id."""
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    response = server.client.post(f"/jobs/{kind}", json=params, headers=headers)
    assert response.status_code == 202, response.text
    return str(response.json()["job_id"])
