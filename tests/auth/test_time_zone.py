"""Each staff member reads and types times in their own time zone (their account's setting, the app's
CRM_TIMEZONE until they choose one); the database keeps UTC."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

import crm.timeutil
from crm.auth.service import set_time_zone
from crm.errors import InvalidInput
from crm.extensions import db
from crm.outreach.models import Outreach
from crm.timeutil import today
from tests.factories import make_outreach, make_person
from tests.web import form_with

WINTER_MORNING = datetime(2026, 1, 20, 9, 0)  # 09:00 UTC: 10:00 in Brussels, 04:00 in New York


def _meeting() -> Outreach:
    return make_outreach(
        "Briefing with the rapporteur",
        kind="meeting",
        to=[make_person("Dzhakishev", "Mukhtar")],
        starts_at=WINTER_MORNING,
        ends_at=WINTER_MORNING.replace(hour=10),
    )


def test_a_staff_member_chooses_their_time_zone_on_the_account_page(app, client, auth, staff):
    auth.login("viewer")  # anyone signed in sets their own
    page = client.get("/account/password").get_data(as_text=True)
    form = form_with(page, "time_zone")
    assert dict(form.fields)["time_zone"] == "Europe/Brussels"  # the app's zone until they choose
    answer = client.post(form.action, data=form.data(time_zone="America/New_York"))
    assert answer.status_code == 302
    db.session.refresh(staff["viewer"])
    assert staff["viewer"].time_zone == "America/New_York"
    assert "Times are shown and entered in America/New_York." in client.get(answer.location).get_data(as_text=True)

    refused = client.post(form.action, data=form.data(time_zone="Mars/Olympus_Mons"))
    assert refused.status_code == 400 and "Choose a time zone from the list" in refused.get_data(as_text=True)
    assert client.post(form.action, data={"time_zone": "Europe/Paris"}, csrf=False).status_code == 400
    db.session.refresh(staff["viewer"])
    assert staff["viewer"].time_zone == "America/New_York"


def test_the_service_takes_only_zones_the_server_knows(app, staff):
    with pytest.raises(InvalidInput):
        set_time_zone(staff["editor"], "Europe/Atlantis", actor=None)
    set_time_zone(staff["editor"], "Asia/Almaty", actor=None)
    assert staff["editor"].time_zone == "Asia/Almaty"


@pytest.mark.parametrize(("zone", "shown"), [("America/New_York", "04:00"), ("Europe/Brussels", "10:00")])
def test_a_meeting_reads_in_the_viewers_zone(app, client, auth, staff, zone, shown):
    meeting = _meeting()
    set_time_zone(staff["viewer"], zone, actor=None)
    db.session.commit()
    auth.login("viewer")
    page = client.get(f"/outreach/{meeting.id}").get_data(as_text=True)
    assert f"20 Jan 2026 {shown}" in page and f"({zone})" in page
    # The history too: the start as the audit trail keeps it (UTC) is shown in the viewer's zone.
    history = page[page.index('id="history"') :]
    assert f"20 Jan 2026 {shown}" in history and "2026-01-20T09:00" not in history and "UTC" not in history


def test_a_time_typed_in_new_york_is_stored_in_utc(app, client, auth, staff):
    set_time_zone(staff["editor"], "America/New_York", actor=None)
    db.session.commit()
    auth.login("editor")
    form = form_with(client.get("/outreach/new").get_data(as_text=True), "subject", "starts_at")
    saved = client.post(
        "/outreach/new",
        data=form.data(kind_id=form.option_value("kind_id", "Meeting"), subject="Call", starts_at="2026-01-20T10:00"),
    )
    assert saved.status_code == 302
    meeting = db.session.scalars(select(Outreach)).one()
    assert meeting.starts_at == datetime(2026, 1, 20, 15, 0)
    edit = client.get(f"/outreach/{meeting.id}/edit").get_data(as_text=True)
    assert dict(form_with(edit, "starts_at").fields)["starts_at"] == "2026-01-20T10:00"  # as they typed it


def test_the_calendar_places_a_meeting_at_the_viewers_hour(app, client, auth, staff):
    _meeting()
    set_time_zone(staff["viewer"], "America/New_York", actor=None)
    db.session.commit()
    auth.login("viewer")
    page = client.get("/calendar/?month=2026-01").get_data(as_text=True)
    assert '<span class="agenda-time">04:00</span>' in page


LATE_EVENING = datetime(2026, 12, 7, 23, 30)  # UTC: 8 December in Brussels already, 18:30 on the 7th in New York


def test_today_is_the_date_where_the_staff_member_is(app, client, auth, staff, monkeypatch):
    """A follow-up set for 8 December is due on the 8th of the staff member's own calendar."""
    monkeypatch.setattr(crm.timeutil, "utcnow", lambda: LATE_EVENING)
    assert today() == date(2026, 12, 8)  # no one signed in: the office's zone, CRM_TIMEZONE
    make_outreach("Ask the rapporteur again", sent_on=date(2026, 11, 20), follow_up_on=date(2026, 12, 8))
    db.session.commit()

    def due_in_queue() -> bool:
        page = client.get("/outreach/queue?owner=all").get_data(as_text=True)
        return "Ask the rapporteur again" in page

    auth.login("viewer")
    assert due_in_queue()  # Brussels, the app's zone: it is the 8th
    set_time_zone(staff["viewer"], "America/New_York", actor=None)
    db.session.commit()
    assert not due_in_queue()  # New York: still the 7th
    set_time_zone(staff["viewer"], "Asia/Almaty", actor=None)
    db.session.commit()
    assert due_in_queue()


def test_today_outside_the_app_is_the_utc_date(monkeypatch):
    monkeypatch.setattr(crm.timeutil, "utcnow", lambda: LATE_EVENING)
    assert today() == date(2026, 12, 7)
