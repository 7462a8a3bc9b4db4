"""An invitation dropped on the Log outreach page fills the meeting form; the editor checks it and saves."""

from __future__ import annotations

import io
from datetime import datetime

from sqlalchemy import func, select

from crm.contacts.models import EmailAddress, Person
from crm.extensions import db
from crm.outreach.models import Outreach
from tests.agenda.invites import OUTLOOK_INVITE, many_events, repeating_forever
from tests.factories import make_campaign, make_person
from tests.web import form_with


def _upload(client, data: bytes, name: str = "invite.ics", page_url: str = "/outreach/new"):
    page = client.get(page_url).get_data(as_text=True)
    form = form_with(page, "invite")
    assert form.action == "/calendar/invite" and form.enctype == "multipart/form-data"
    return client.post(form.action, data={**form.data(), "invite": (io.BytesIO(data), name)})


def _ticked(data, *boxes: str):
    for name in boxes:  # a checkbox the editor ticks (the page's parser lists only what an untouched form sends)
        data.add(name, "y")
    return data


def _outreach_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Outreach))


def test_an_outlook_invitation_fills_the_meeting_form_and_saves_with_new_people(app, client, auth):
    kelam = make_person("Kelam", "Tunne", emails=("tunne.kelam@example.eu",))
    auth.login("editor")
    filled = _upload(client, OUTLOOK_INVITE)
    assert filled.status_code == 200
    html = filled.get_data(as_text=True)
    assert _outreach_count() == 0  # a prefill, not a save
    assert "Filled from the invitation" in html and "Left off as staff: editor@example.org" in html
    form = form_with(html, "subject", "starts_at", "unknown-0-email")
    assert form.action == "/calendar/invite/save"
    values = dict(form.fields)
    assert values["subject"] == "Parole hearing: briefing"
    assert values["starts_at"] == "2019-09-10T14:00"  # Brussels time, as staff read it
    assert values["ends_at"] == "2019-09-10T15:30"
    assert values["location"] == "Council of Europe, Palais, Room 8"
    assert values["participants-0-party"] == f"p:{kelam.id}" and values["participants-0-role"] == "attendee"
    assert form.option_value("kind_id", "Meeting") == values["kind_id"]
    assert values["unknown-0-email"] == "a.tleuzhan@example.kz" and values["unknown-1-email"] == "press@example.org"
    assert "unknown-0-add" not in values and 'name="unknown-0-add"' in html  # offered, not ticked

    saved = client.post(form.action, data=_ticked(form.data(), "unknown-0-add"))
    assert saved.status_code == 302
    meeting = db.session.scalars(select(Outreach)).one()
    assert meeting.kind.code == "meeting" and meeting.subject == "Parole hearing: briefing"
    assert meeting.starts_at == datetime(2019, 9, 10, 12, 0) and meeting.ends_at == datetime(2019, 9, 10, 13, 30)
    assert meeting.location == "Council of Europe, Palais, Room 8"
    new = db.session.scalars(
        select(Person).join(EmailAddress).where(EmailAddress.address == "a.tleuzhan@example.kz")
    ).one()
    assert (new.family_name, new.given_name) == ("Tleuzhan", "Aigerim")
    assert {(p.person_id, p.role) for p in meeting.participants} == {(kelam.id, "attendee"), (new.id, "attendee")}
    assert (
        db.session.scalar(
            select(func.count()).select_from(EmailAddress).where(EmailAddress.address == "press@example.org")
        )
        == 0
    )
    detail = client.get(saved.location).get_data(as_text=True)
    assert "10 Sep 2019 14:00–15:30 (Europe/Brussels)" in detail


def test_an_invitation_dropped_on_a_campaigns_log_outreach_page_keeps_the_campaign(app, client, auth):
    campaign = make_campaign()
    auth.login("editor")
    filled = _upload(client, OUTLOOK_INVITE, page_url=f"/outreach/new?campaign_id={campaign.id}")
    form = form_with(filled.get_data(as_text=True), "subject", "campaign_id")
    assert dict(form.fields)["campaign_id"] == str(campaign.id)
    assert client.post(form.action, data=form.data()).status_code == 302
    assert db.session.scalars(select(Outreach.campaign_id)).one() == campaign.id


def test_a_bad_save_leaves_nothing_half_saved(app, client, auth):
    auth.login("editor")
    form = form_with(_upload(client, OUTLOOK_INVITE).get_data(as_text=True), "subject", "unknown-0-email")
    refused = client.post(form.action, data=_ticked(form.data(subject=""), "unknown-0-add"))
    assert refused.status_code == 422
    assert "A subject is required." in refused.get_data(as_text=True)
    assert _outreach_count() == 0
    assert db.session.scalar(select(func.count()).select_from(Person)) == 0  # the ticked person was not kept


def test_a_repeating_meeting_takes_its_first_occurrence_and_says_so(app, client, auth):
    auth.login("editor")
    html = _upload(client, repeating_forever()).get_data(as_text=True)
    assert "This meeting repeats" in html
    values = dict(form_with(html, "subject", "starts_at").fields)
    assert values["starts_at"] == "2019-01-07T10:00"  # 09:00 UTC in Brussels winter time
    assert "Repeats (FREQ=WEEKLY;BYDAY=MO)" in values.get("summary", "") or "Repeats (FREQ=WEEKLY;BYDAY=MO)" in html


def test_bad_files_come_back_as_one_line_on_the_page(app, client, auth):
    auth.login("editor")
    for data, says in [
        (b"this is a letter, not a calendar", "not an iCalendar invitation"),
        (many_events(10_000), "holds 10000 events"),
        (b"BEGIN:VCALENDAR\r\n" + b"X:" + b"a" * (2 * 1024 * 1024) + b"\r\n", "larger than 1024 KB"),
    ]:
        answer = _upload(client, data)
        assert answer.status_code == 302 and answer.location.endswith("/outreach/new")
        page = client.get(answer.location).get_data(as_text=True)
        assert says in page, says
    assert _outreach_count() == 0


def test_no_file_and_no_token(app, client, auth):
    auth.login("editor")
    page = client.get("/outreach/new").get_data(as_text=True)
    form = form_with(page, "invite")
    assert client.post(form.action, data=form.data()).status_code == 302
    forged = client.post("/calendar/invite", data={"invite": (io.BytesIO(OUTLOOK_INVITE), "i.ics")}, csrf=False)
    assert forged.status_code in (302, 400) and _outreach_count() == 0


def test_viewers_may_not_log_meetings(app, client, auth):
    auth.login("viewer")
    assert client.post("/calendar/invite", data={"invite": (io.BytesIO(OUTLOOK_INVITE), "i.ics")}).status_code == 403
    assert client.post("/calendar/invite/save", data={"subject": "x"}).status_code == 403


def test_a_meeting_time_on_the_ordinary_form(app, client, auth):
    auth.login("editor")
    page = client.get("/outreach/new").get_data(as_text=True)
    form = form_with(page, "subject", "starts_at", "location")
    meeting_kind = form.option_value("kind_id", "Meeting")
    saved = client.post(
        "/outreach/new",
        data=form.data(
            kind_id=meeting_kind, subject="Briefing", starts_at="2026-01-20T09:00", ends_at="2026-01-20T08:00"
        ),
    )
    assert saved.status_code == 422 and "The meeting ends before it starts." in saved.get_data(as_text=True)
    saved = client.post(
        "/outreach/new",
        data=form.data(kind_id=meeting_kind, subject="Briefing", starts_at="2026-01-20T09:00", location="Room 1"),
    )
    assert saved.status_code == 302
    meeting = db.session.scalars(select(Outreach)).one()
    assert meeting.starts_at == datetime(2026, 1, 20, 8, 0) and meeting.sent_on.isoformat() == "2026-01-20"
    edit = client.get(f"/outreach/{meeting.id}/edit").get_data(as_text=True)
    assert dict(form_with(edit, "starts_at").fields)["starts_at"] == "2026-01-20T09:00"
