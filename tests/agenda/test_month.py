"""The month view: a month's milestones, follow-ups and meetings, filtered by campaign and owner."""

from __future__ import annotations

from datetime import date, timedelta

from crm.agenda.month import month_agenda, parse_month
from tests.agenda.conftest import first_of_month


def _uids(month) -> set[str]:
    return {event.uid for week in month.weeks for day in week if day.in_month for event in day.events}


def _month_of(day: date) -> date:
    return day.replace(day=1)


def test_a_month_holds_its_milestones_follow_ups_and_meetings(app, season):
    first = _month_of(season.own_milestone.on)
    month = month_agenda(first)
    assert f"milestone-{season.own_milestone.id}" in _uids(month)
    assert all(len(week) == 7 for week in month.weeks) and month.weeks[0][0].on.weekday() == 0
    every = set().union(
        *(_uids(month_agenda(_month_of(season.own_milestone.on + timedelta(days=n)))) for n in (-40, 0, 40))
    )
    every |= _uids(month_agenda(_month_of(season.meeting.sent_on)))
    assert {
        f"milestone-{season.own_milestone.id}",
        f"milestone-{season.other_milestone.id}",
        f"follow-up-{season.follow_up.id}",
        f"follow-up-{season.admins_follow_up.id}",
        f"reply-follow-up-{season.reply.id}",
        f"meeting-{season.meeting.id}",
    } <= every


def test_filtered_by_campaign_and_by_owner(app, staff, season):
    first = _month_of(season.other_milestone.on)
    by_campaign = _uids(month_agenda(first, campaign_id=season.own_milestone.campaign_id))
    assert f"milestone-{season.own_milestone.id}" in by_campaign or season.own_milestone.on.month != first.month
    assert f"milestone-{season.other_milestone.id}" not in by_campaign
    by_admin = _uids(month_agenda(first, owner_id=staff["admin"].id))
    assert f"milestone-{season.other_milestone.id}" in by_admin
    assert not any(uid.startswith("meeting-") for uid in by_admin)


def test_junk_months_fall_back_to_this_month(app):
    today = date(2026, 3, 14)
    for text in (None, "", "2019", "2019-13", "0000-01", "9999-12", "abcd-ef", "2019-09-01"):
        assert parse_month(text, today) == date(2026, 3, 1), text
    assert parse_month("2019-09", today) == date(2019, 9, 1)


def test_the_page_for_a_viewer_with_filters_and_navigation(app, client, auth, staff, season):
    auth.login("viewer")
    month = first_of_month(season.other_milestone.on)
    page = client.get(f"/calendar/?month={month}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Parole hearing" in html and 'rel="prev"' in html and 'rel="next"' in html
    assert "agenda-list" in html  # the phone layout: a list of days
    filtered = client.get(f"/calendar/?month={month}&campaign_id={season.own_milestone.campaign_id}").get_data(
        as_text=True
    )
    assert "Parole hearing" not in filtered
    assert "<form" in html and 'method="post"' not in html.split("<main")[1]  # no write form for a viewer


def test_titles_are_escaped(app, client, auth, staff, season):
    from crm.campaigns.service import MilestoneData, save_milestone
    from crm.extensions import db

    save_milestone(
        season.own_milestone.campaign, MilestoneData(season.own_milestone.on, "<script>x()</script>"), actor=None
    )
    db.session.commit()
    auth.login("viewer")
    html = client.get(f"/calendar/?month={first_of_month(season.own_milestone.on)}").get_data(as_text=True)
    assert "<script>x()" not in html and "&lt;script&gt;x()" in html


def test_the_calendar_is_linked_from_campaigns_and_outreach(app, client, auth):
    auth.login("viewer")
    for path in ("/campaigns/", "/outreach/"):
        assert 'href="/calendar/"' in client.get(path).get_data(as_text=True), path
