"""A page that shows work in progress (here the duplicate scan) keeps itself up to date without a timed
reload: its status changes in place, where a screen reader hears it, and the page reloads once, when
the work is done. A `<meta http-equiv="refresh">` stays only for browsers without script (WCAG 2.2.1)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from crm import create_app
from crm.duplicates import scan
from crm.extensions import db
from crm.jobs import JobStatus
from crm.timeutil import to_local, utcnow
from tests.journeys.conftest import serve
from tests.settings import app_config

pytestmark = pytest.mark.browser


@pytest.fixture
def live_server(app, database_dir):
    # Every database counts as big: the duplicate list comes from a scan the page waits for.
    yield from serve(create_app(app_config(database_dir, DUPLICATES_INLINE_LIMIT=0)))


def test_a_running_scan_updates_in_place_and_the_page_reloads_when_it_is_done(page, sign_in, staff):
    running = scan.DuplicateScan(status=JobStatus.RUNNING, requested_at=utcnow() - timedelta(minutes=10))
    db.session.add(running)
    db.session.commit()
    sign_in("viewer")
    page.goto("/duplicates/")
    status = page.locator("[data-refresh-while]")
    expect(status).to_contain_text("Looking for duplicates")
    assert page.locator("meta[http-equiv=refresh]").count() == 0  # inside <noscript>: not in force
    page.evaluate("window.sameDocument = true")

    asked_again = utcnow() - timedelta(minutes=5)
    running.requested_at = asked_again
    db.session.commit()
    expect(status).to_contain_text(to_local(asked_again).strftime("%H:%M"), timeout=12_000)
    assert page.evaluate("window.sameDocument === true")  # changed in place, not reloaded

    running.status, running.finished_at, running.people = JobStatus.DONE, utcnow(), 2
    db.session.commit()
    expect(page.locator(".duplicate-scan")).to_contain_text("among 2 people", timeout=12_000)
    assert page.evaluate("window.sameDocument === undefined")  # reloaded once, to show the list
    expect(page.locator("[data-refresh-while]")).to_have_count(0)
