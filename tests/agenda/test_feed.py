"""A staff member's calendar feed: what it holds, read back with icalendar, and its secret URL's life."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from icalendar import Calendar
from sqlalchemy import select

from crm.agenda.events import agenda_events, feed_scope
from crm.agenda.feed_tokens import feed_for_token, issue_token, revoke_token, set_all_campaigns
from crm.agenda.models import CalendarFeed
from crm.audit.models import AuditEntry
from crm.auth import service as users
from crm.extensions import db
from crm.timeutil import today


def _fetch(client, token: str):
    return client.get(f"/calendar/{token}.ics")


def _events(response) -> dict:
    calendar = Calendar.from_ical(response.data)
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def _issue(user, **options) -> str:
    token = issue_token(user, actor=user, **options)
    db.session.commit()
    return token


def test_the_feed_holds_their_campaigns_milestones_their_follow_ups_and_meetings(app, client, staff, season):
    token = _issue(staff["editor"])
    response = _fetch(client, token)  # nobody signed in: the URL is the credential
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Cache-Control"] == "no-store"
    calendar = Calendar.from_ical(response.data)
    assert str(calendar["x-wr-calname"]) == "Advocacy CRM"
    assert str(calendar["version"]) == "2.0"
    events = _events(response)
    assert set(events) == {
        f"milestone-{season.own_milestone.id}@localhost",
        f"follow-up-{season.follow_up.id}@localhost",
        f"reply-follow-up-{season.reply.id}@localhost",
        f"meeting-{season.meeting.id}@localhost",
    }
    milestone = events[f"milestone-{season.own_milestone.id}@localhost"]
    assert str(milestone["summary"]) == "Free Mukhtar Dzhakishev: Pardon commission meets"
    assert f"/campaigns/{season.own_milestone.campaign_id}" in str(milestone["description"])
    # All-day: a DATE, ending the next day.
    assert type(milestone.decoded("dtstart")) is date and milestone.decoded("dtstart") == season.own_milestone.on
    assert (milestone.decoded("dtend") - milestone.decoded("dtstart")).days == 1
    follow_up = events[f"follow-up-{season.follow_up.id}@localhost"]
    assert type(follow_up.decoded("dtstart")) is date and follow_up.decoded("dtstart") == season.follow_up.follow_up_on
    assert str(follow_up["url"]).endswith(f"/outreach/{season.follow_up.id}")
    # Timed, in UTC.
    meeting = events[f"meeting-{season.meeting.id}@localhost"]
    assert meeting.decoded("dtstart") == season.meeting.starts_at.replace(tzinfo=UTC)
    assert meeting.decoded("dtend") == season.meeting.ends_at.replace(tzinfo=UTC)
    assert "DTSTART:" in response.text and re.search(r"DTSTART:\d{8}T\d{6}Z", response.text)
    assert str(meeting["location"]) == "European Parliament, ASP 5G"
    assert all(isinstance(event.decoded("dtstamp"), datetime) for event in events.values())


def test_nothing_personal_about_contacts_goes_out(app, client, staff, season):
    text = _fetch(client, _issue(staff["editor"])).text
    assert "tunne.kelam@example.eu" not in text.lower()
    assert "Kelam, Tunne" not in text and "Tunne" not in text
    assert "@" not in text.replace("@localhost", "")


def test_uids_are_stable_from_one_fetch_to_the_next(app, client, staff, season):
    token = _issue(staff["editor"])
    assert set(_events(_fetch(client, token))) == set(_events(_fetch(client, token)))


def test_milestones_of_every_campaign_when_asked(app, client, staff, season):
    token = _issue(staff["editor"], all_campaigns=True)
    assert f"milestone-{season.other_milestone.id}@localhost" in _events(_fetch(client, token))
    set_all_campaigns(staff["editor"], False, actor=staff["editor"])
    db.session.commit()
    assert f"milestone-{season.other_milestone.id}@localhost" not in _events(_fetch(client, token))


def test_renewing_stops_the_old_url_at_once_and_revoking_stops_the_new(app, client, staff, season):
    old = _issue(staff["editor"])
    new = _issue(staff["editor"])
    assert _fetch(client, old).status_code == 404
    assert _fetch(client, new).status_code == 200
    assert revoke_token(staff["editor"], actor=staff["editor"])
    db.session.commit()
    gone = _fetch(client, new)
    assert gone.status_code == 404 and gone.text == "Not found\n"  # no detail
    assert gone.headers["Cache-Control"] == "no-store"


def test_a_deactivated_account_has_no_feed(app, client, staff, season):
    token = _issue(staff["editor"])
    users.update_user(staff["editor"], role="editor", active=False, name="", actor=staff["admin"])
    db.session.commit()
    assert _fetch(client, token).status_code == 404


def test_only_a_hash_is_kept_and_the_audit_never_holds_the_token(app, staff):
    token = _issue(staff["editor"])
    assert len(token) >= 43  # 32 random bytes, URL-safe: 256 bits
    stored = db.session.scalars(select(CalendarFeed)).one()
    first_hash = stored.token_hash
    assert token not in first_hash and len(first_hash) == 64
    _issue(staff["editor"])
    revoke_token(staff["editor"], actor=staff["editor"])
    db.session.commit()
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action.like("%calendar feed")).order_by(AuditEntry.id)
    ).all()
    assert [e.action for e in entries] == ["create calendar feed", "renew calendar feed", "revoke calendar feed"]
    assert all(token not in str(e.changes) and first_hash not in str(e.changes) for e in entries)


def test_tokens_that_open_nothing(app, staff):
    _issue(staff["editor"])
    for token in ("", "x", "a" * 500, "../../etc/passwd"):
        assert feed_for_token(token) is None


def test_garbage_in_the_url_is_a_plain_404(app, client, staff):
    for path in ("/calendar/nothing.ics", "/calendar/%00.ics", "/calendar/" + "a" * 300 + ".ics"):
        assert client.get(path).status_code == 404


def test_five_thousand_events_take_four_queries(app, staff, season):
    """The bench will time it; here: the number of statements does not grow with the events."""
    from sqlalchemy import event

    from crm.campaigns.models import Milestone

    campaign_id = season.own_milestone.campaign_id
    db.session.execute(
        Milestone.__table__.insert(),
        [
            {"campaign_id": campaign_id, "on": today(), "title": f"Vigil {n}", "description": "", "url": ""}
            for n in range(5000)
        ],
    )
    db.session.commit()
    editor_id = staff["editor"].id
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        events = agenda_events(feed_scope(editor_id, all_campaigns=False, today=today()))
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(events) == 5004
    assert len(statements) == 4
