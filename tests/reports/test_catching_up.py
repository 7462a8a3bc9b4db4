"""A report slow to build keeps its page quick: after a change the page shows the figures it had,
says when they were counted and reloads itself, while a thread of the app counts them again."""

from __future__ import annotations

import logging
import re
import threading
from datetime import date

import pytest
from sqlalchemy import select

from crm.data_version import bump
from crm.extensions import db
from crm.outreach.data import ResponseData
from crm.outreach.models import Outreach
from crm.outreach.responses import record_response
from crm.reports.cache import reports_of, served
from crm.reports.service import campaign_report


@pytest.fixture
def slow(app):
    """Every build counts as slow."""
    app.config["REPORT_BACKGROUND_AFTER"] = 0.0
    reports = reports_of(app)
    yield reports
    reports.wait(30)


def _figure(html: str, name: str) -> str:
    return re.search(rf'data-figure="{name}">([^<]*)<', html).group(1)


def _reply_from_e(known) -> None:
    outreach = db.session.scalars(select(Outreach).where(Outreach.subject == "Email to D and E")).one()
    record_response(outreach, ResponseData(date(2017, 11, 21), person_id=known["people"]["E"]), actor=None)
    db.session.commit()


def _change_elsewhere() -> None:
    """A commit that writes report data, as another request would make."""
    db.session.rollback()  # on SQLite a transaction keeps the snapshot it began with
    with db.engine.begin() as connection:
        bump(connection)


def test_after_a_change_the_page_shows_the_figures_it_had_until_the_new_ones_are_counted(known, client, auth, slow):
    auth.login("viewer")
    url = f"/reports/campaigns/{known['campaign_id']}"
    first = client.get(url).get_data(as_text=True)
    _reply_from_e(known)

    during = client.get(url).get_data(as_text=True)
    slow.wait(30)
    after = client.get(url).get_data(as_text=True)

    assert (_figure(first, "replied"), _figure(during, "replied"), _figure(after, "replied")) == ("4", "4", "5")
    assert "data-catching-up" not in first and "data-catching-up" not in after
    assert "data-catching-up" in during and '<meta http-equiv="refresh"' in during
    assert "These figures were counted" in during and "UTC" in during


def test_downloads_and_services_never_get_figures_that_lag(known, client, auth, slow):
    auth.login("viewer")
    url = f"/reports/campaigns/{known['campaign_id']}"
    client.get(url)
    _reply_from_e(known)

    assert "data-catching-up" in client.get(url).get_data(as_text=True)
    assert campaign_report(known["campaign_id"]).totals.replied == 5
    assert client.get(f"{url}.xlsx").status_code == 200


def test_a_report_quick_to_build_is_built_in_the_request(known, client, auth, app):
    app.config["REPORT_BACKGROUND_AFTER"] = 60.0
    auth.login("viewer")
    url = f"/reports/campaigns/{known['campaign_id']}"
    client.get(url)
    _reply_from_e(known)

    html = client.get(url).get_data(as_text=True)

    assert _figure(html, "replied") == "5" and "data-catching-up" not in html


def test_the_first_view_waits_for_its_report(app, slow):
    assert served(("first", 1), lambda: "built") == served(("first", 1), lambda: "not again")
    assert served(("first", 1), lambda: "x").catching_up is False


def test_views_while_catching_up_start_one_build(app, slow):
    gate = threading.Event()
    builds: list[str] = []

    def build() -> int:
        builds.append(threading.current_thread().name)
        if len(builds) > 1:
            gate.wait(10)
        return len(builds)

    key = ("one build", 1)
    assert served(key, build).report == 1
    _change_elsewhere()

    views = [served(key, build) for _ in range(3)]
    gate.set()
    slow.wait(30)
    db.session.rollback()

    assert [(view.report, view.catching_up) for view in views] == [(1, True)] * 3
    assert len(builds) == 2 and builds[1] != threading.current_thread().name
    fresh = served(key, build)
    assert (fresh.report, fresh.catching_up) == (2, False) and fresh.counted_at > views[0].counted_at


def test_a_failed_background_build_is_logged_and_the_next_view_builds_in_the_request(app, slow, caplog):
    outcomes = iter([1, RuntimeError("the database went away"), 3])

    def build() -> int:
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    key = ("failing", 1)
    served(key, build)
    _change_elsewhere()
    with caplog.at_level(logging.ERROR, logger="crm.reports.cache"):
        lagging = served(key, build)
        slow.wait(30)
    db.session.rollback()
    next_view = served(key, build)

    assert (lagging.report, lagging.catching_up) == (1, True)
    assert "the database went away" in caplog.text
    assert (next_view.report, next_view.catching_up) == (3, False)
    assert not slow.failed(key)


def test_a_new_day_shows_yesterdays_figures_while_todays_are_counted(app, slow):
    key = ("daily", 1)
    yesterday = served(key, lambda: "counted yesterday", day=date(2026, 11, 25))

    today = served(key, lambda: "counted today", day=date(2026, 11, 26))
    slow.wait(30)
    db.session.rollback()

    assert (today.report, today.catching_up) == ("counted yesterday", True)
    assert served(key, lambda: "not again", day=date(2026, 11, 26)).report == "counted today"
    assert yesterday.catching_up is False
