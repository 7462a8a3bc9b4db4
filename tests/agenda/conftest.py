"""A campaign season for the calendar tests: two campaigns (the editor owns one), their milestones, follow-ups
on the editor's and the admin's outreach, a reply with a follow-up, and a meeting with a time and a place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest

from crm.campaigns.models import Milestone
from crm.campaigns.service import MilestoneData, save_milestone
from crm.contacts.models import Person
from crm.extensions import db
from crm.outreach.models import Outreach, Response
from crm.timeutil import today
from tests.factories import make_campaign, make_outreach, make_person, make_response


@dataclass
class Season:
    own_milestone: Milestone
    other_milestone: Milestone
    follow_up: Outreach
    admins_follow_up: Outreach
    reply: Response
    meeting: Outreach
    kelam: Person


@pytest.fixture
def season(app, staff) -> Season:
    editor, admin = staff["editor"], staff["admin"]
    ours = make_campaign("Free Mukhtar Dzhakishev", owner_ids=[editor.id])
    theirs = make_campaign("Free Max Bokayev", owner_ids=[admin.id])
    soon = today() + timedelta(days=10)
    own_milestone = save_milestone(ours, MilestoneData(soon, "Pardon commission meets"), actor=None)
    other_milestone = save_milestone(theirs, MilestoneData(soon + timedelta(days=3), "Parole hearing"), actor=None)
    db.session.commit()
    kelam = make_person("Kelam", "Tunne", emails=("tunne.kelam@example.eu",))
    follow_up = make_outreach(
        "Letter to the EP President",
        to=[kelam],
        campaign_id=ours.id,
        owner_id=editor.id,
        sent_on=today(),
        follow_up_on=today() + timedelta(days=5),
    )
    admins_follow_up = make_outreach(
        "Letter to PACE", to=[kelam], owner_id=admin.id, sent_on=today(), follow_up_on=today() + timedelta(days=6)
    )
    reply = make_response(follow_up, kelam, received_on=today(), follow_up_on=today() + timedelta(days=7))
    meeting = make_outreach(
        "Kelam on the pardon request",
        kind="meeting",
        to=[kelam],
        campaign_id=ours.id,
        owner_id=editor.id,
        sent_on=today() + timedelta(days=2),
        starts_at=datetime.combine(today() + timedelta(days=2), datetime.min.time()) + timedelta(hours=12),
        ends_at=datetime.combine(today() + timedelta(days=2), datetime.min.time()) + timedelta(hours=13, minutes=30),
        location="European Parliament, ASP 5G",
    )
    return Season(own_milestone, other_milestone, follow_up, admins_follow_up, reply, meeting, kelam)


def first_of_month(day: date) -> str:
    return day.strftime("%Y-%m")
