"""A report slow to build keeps its page quick: after a change the page shows the figures it had,
says when they were counted and reloads itself, while a job of the job queue counts them again.

The tests run jobs at once (JOBS_IMMEDIATE), in a new app context as a worker would; `queued`
holds them in the queue instead until the test runs them, to see what happens meanwhile.
"""

from __future__ import annotations

import logging
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from crm import create_app, jobs
from crm.data_version import bump
from crm.extensions import db
from crm.outreach.data import ResponseData
from crm.outreach.models import Outreach
from crm.outreach.responses import record_response
from crm.reports.cache import cached, report_kind, served
from crm.reports.models import BuiltReport
from crm.reports.service import campaign_report
from crm.timeutil import utcnow
from tests.settings import app_config


@pytest.fixture
def slow(app):
    """Every build counts as slow."""
    app.config["REPORT_BACKGROUND_AFTER"] = 0.0
    return app


@pytest.fixture
def queued(app):
    """Jobs wait in the queue, as for a worker process, until the test runs them."""
    queue = jobs.huey(app)
    queue.immediate = False
    yield queue
    queue.immediate = True


def _run_queued(queue) -> int:
    """Run the jobs waiting, as a worker would; how many there were."""
    ran = 0
    while (task := queue.dequeue()) is not None:
        queue.execute(task)
        ran += 1
    db.session.rollback()  # see what they committed
    return ran


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


def _kind(name: str, *outcomes):
    """A kind of report whose builds return (or raise) `outcomes` in turn; and the builds made."""
    builds: list[date | None] = []

    def build(*_arguments, day=None):
        builds.append(day)
        outcome = outcomes[len(builds) - 1]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    return report_kind(name, type(next(o for o in outcomes if not isinstance(o, Exception))), build), builds


def test_after_a_change_the_page_shows_the_figures_it_had_until_the_new_ones_are_counted(known, client, auth, slow):
    auth.login("viewer")
    url = f"/reports/campaigns/{known['campaign_id']}"
    first = client.get(url).get_data(as_text=True)
    _reply_from_e(known)

    during = client.get(url).get_data(as_text=True)  # the job it queued ran at once
    after = client.get(url).get_data(as_text=True)

    assert (_figure(first, "replied"), _figure(during, "replied"), _figure(after, "replied")) == ("4", "4", "5")
    assert "data-catching-up" not in first and "data-catching-up" not in after
    assert "data-catching-up" in during and '<meta http-equiv="refresh"' in during
    assert "These figures were counted" in during and "UTC" not in during  # in the viewer's time zone


def test_downloads_and_services_never_get_figures_that_lag(known, client, auth, slow, queued):
    auth.login("viewer")
    url = f"/reports/campaigns/{known['campaign_id']}"
    client.get(url)
    _reply_from_e(known)

    assert "data-catching-up" in client.get(url).get_data(as_text=True)
    assert campaign_report(known["campaign_id"]).totals.replied == 5
    assert client.get(f"{url}.xlsx").status_code == 200
    assert queued.pending_count() == 1


def test_a_report_quick_to_build_is_built_in_the_request(known, client, auth, app):
    app.config["REPORT_BACKGROUND_AFTER"] = 60.0
    auth.login("viewer")
    url = f"/reports/campaigns/{known['campaign_id']}"
    client.get(url)
    _reply_from_e(known)

    html = client.get(url).get_data(as_text=True)

    assert _figure(html, "replied") == "5" and "data-catching-up" not in html


def test_the_first_view_waits_for_its_report(slow, queued):
    kind, builds = _kind("first", "built", "not again")
    first, again = served(kind, 1), served(kind, 1)

    assert (first.report, first.catching_up) == ("built", False) and again == first
    assert len(builds) == 1 and queued.pending_count() == 0


def test_views_while_catching_up_in_any_worker_queue_one_job_that_builds_once(slow, queued, database_dir):
    kind, builds = _kind("one build", 1, 2, 3)
    assert served(kind, 1).report == 1
    _change_elsewhere()

    views = [served(kind, 1) for _ in range(2)]
    db.session.rollback()
    other_worker = create_app(app_config(database_dir, REPORT_BACKGROUND_AFTER=0.0))
    other_queue = jobs.huey(other_worker)
    other_queue.immediate = False
    with other_worker.app_context():
        views.append(served(kind, 1))
        db.session.remove()
        db.engine.dispose()

    assert [(view.report, view.catching_up) for view in views] == [(1, True)] * 3
    assert queued.pending_count() + other_queue.pending_count() == 1
    job = queued.dequeue()
    queued.execute(job)
    queued.execute(job)  # delivered twice
    db.session.rollback()
    fresh = served(kind, 1)
    assert (fresh.report, fresh.catching_up) == (2, False) and fresh.counted_at >= views[0].counted_at
    assert len(builds) == 2


def test_a_failed_background_build_is_logged_and_the_next_view_builds_in_the_request(slow, caplog):
    kind, _builds = _kind("failing", 1, RuntimeError("the database went away"), 3)
    served(kind, 1)
    _change_elsewhere()
    with caplog.at_level(logging.ERROR, logger="crm.reports.cache"):
        lagging = served(kind, 1)  # the job ran at once, and failed
    db.session.rollback()
    next_view = served(kind, 1)

    assert (lagging.report, lagging.catching_up) == (1, True)
    assert "the database went away" in caplog.text
    assert (next_view.report, next_view.catching_up) == (3, False)
    assert served(kind, 1).report == 3  # kept, the failure forgotten


def test_a_new_day_shows_yesterdays_figures_while_todays_are_counted(slow, queued):
    kind, builds = _kind("daily", "counted yesterday", "counted today")
    yesterday = served(kind, 1, day=date(2026, 11, 25))

    today = served(kind, 1, day=date(2026, 11, 26))
    assert _run_queued(queued) == 1

    assert (today.report, today.catching_up) == ("counted yesterday", True)
    assert served(kind, 1, day=date(2026, 11, 26)).report == "counted today"
    assert yesterday.catching_up is False and builds == [date(2026, 11, 25), date(2026, 11, 26)]


def test_a_job_for_a_report_built_meanwhile_builds_nothing(slow, queued):
    kind, builds = _kind("built meanwhile", 1, 2, 3)
    served(kind, 1)
    _change_elsewhere()
    assert served(kind, 1).catching_up
    assert cached(kind, 1) == 2  # a download builds it in the request

    assert _run_queued(queued) == 1
    assert served(kind, 1).report == 2 and len(builds) == 2


def test_a_rebuild_that_never_comes_is_given_up_and_the_view_builds(slow, queued):
    kind, builds = _kind("stalled", 1, 2)
    served(kind, 1)
    _change_elsewhere()
    assert served(kind, 1).catching_up  # queued, but no worker runs it
    long_ago = utcnow() - timedelta(hours=1)
    with db.engine.begin() as connection:
        connection.execute(update(BuiltReport).values(rebuild_requested_at=long_ago))
    db.session.rollback()

    view = served(kind, 1)

    assert (view.report, view.catching_up) == (2, False) and len(builds) == 2
