"""Browser journeys: the real app served on 127.0.0.1, driven by Debian's Chromium through Playwright.

The live server uses the same database as the `app` fixture (a SQLite file, or PostgreSQL when
CRM_TEST_DATABASE_URL is set), so data a test creates inside `app` is what the browser sees.
Playwright never downloads a browser: we launch /usr/bin/chromium, which `make test` installs.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import make_server

from crm import create_app
from crm.extensions import db
from tests.conftest import PASSWORD
from tests.journeys.accessibility import AxeAudit
from tests.settings import app_config

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 10_000
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    # Lets the `page` fixture know whether the test body failed, to keep a screenshot of it.
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: the browser journeys need Debian's chromium package"
        if os.environ.get("CI"):
            # CI must never pass by skipping the journeys.
            pytest.fail(f"{message} (CI is set, so this is a failure).", pytrace=False)
        pytest.skip(f"{message}; `make test` installs it (apt-get install chromium).")
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(app, database_dir) -> Iterator[str]:
    """The real app with CSRF on (the browser sends the real tokens), on a free port, in a thread."""
    yield from serve(create_app(app_config(database_dir)))


def serve(live_app) -> Iterator[str]:
    """Serve `live_app` on a free port in a thread, yielding its base URL; for live_server fixtures."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        # Idle pooled connections would block the next test's TRUNCATE on PostgreSQL.
        with live_app.app_context():
            db.engine.dispose()


@pytest.fixture
def artifacts() -> Path:
    """Where journeys save screenshots for a human to look at (gitignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def script_errors() -> list[str]:
    """Uncaught script errors in the page: a journey asserts there were none."""
    return []


@pytest.fixture
def page(browser, live_server, artifacts, script_errors, request):
    """A fresh page at 1366 px; every page it loads, and its state at the end, must pass axe (WCAG 2.1 AA)."""
    # Reduced motion: Bootstrap then draws a button's pressed or hovered state at once, so an axe check never
    # reads a colour half-way through a 0.15 s fade (grey on grey: a false contrast failure).
    context = browser.new_context(
        base_url=live_server, viewport={"width": 1366, "height": 900}, locale="en-GB", reduced_motion="reduce"
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    # A script or style the Content-Security-Policy refused is a broken page, as an error is.
    page.on(
        "console",
        lambda message: (
            script_errors.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    audit = request.node.axe_audit = AxeAudit(page).watch()
    yield page
    audit.check()
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        page.screenshot(path=artifacts / f"FAILED-{request.node.name}.png", full_page=True)
    context.close()
    if audit.violations or audit.errors:
        pytest.fail(audit.report(), pytrace=False)


@pytest.fixture
def axe(page, request) -> AxeAudit:
    """The `page`'s axe audit, for a test that checks a state itself: axe.check() -> its violations."""
    return request.node.axe_audit


@pytest.fixture
def sign_in(page, staff):
    """sign_in("editor") logs the browser in through the real form, CSRF token and all."""

    def sign_in(role: str, password: str = PASSWORD) -> None:
        page.goto("/login")
        page.get_by_label("Email").fill(f"{role}@example.org")
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        expect(page.locator("nav.navbar")).to_contain_text(staff[role].label)

    return sign_in
