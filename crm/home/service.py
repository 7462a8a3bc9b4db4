"""Figures and work queues for the start page.

The start page must stay fast with a million participations, so every query here is bounded by a
LIMIT or an indexed filter, and response rates come from the counters kept on each outreach entry
(Outreach.recipient_count / replied_count), never from counting participants. Lists are read as plain
rows from statements built once (`@cache`, values bound at execution): building ORM objects for a few
dozen lines, and building and keying a statement on every request, cost more than running the queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache

from sqlalchemy import Date, Select, and_, bindparam, func, select

from crm.audit.models import AuditEntry
from crm.auth.models import User
from crm.campaigns.models import Campaign, Milestone
from crm.contacts.models import Organisation, Person
from crm.extensions import db
from crm.outreach.campaign_summaries import CampaignSummary, SupporterName, active_campaign_summaries, recent_supporters
from crm.outreach.my_queue import QueueFilter, my_queue
from crm.outreach.parties import display_name
from crm.outreach.queues import FollowUp, Queue, ReplyRow, awaiting_rows, follow_ups_due, recent_responses
from crm.timeutil import today

DASHBOARD_CAMPAIGNS = 20
DASHBOARD_MILESTONES = 8
PEOPLE_TO_MOBILISE = 5
RECENT_PEOPLE = 8
RECENT_CHANGES = 12
MY_ITEMS = 8


@dataclass(slots=True)
class RecentPerson:
    id: int
    display_name: str
    created_at: datetime


@dataclass(slots=True)
class RecentChange:
    """An audit entry about a contact, with the names to show."""

    at: datetime
    actor_label: str
    action: str
    entity_type: str
    entity_id: int
    label: str


@dataclass
class Overview:
    people: int
    organisations: int
    recent_people: list[RecentPerson]
    recent_changes: list[RecentChange]


@cache
def _contact_counts() -> Select:
    return select(
        select(func.count()).select_from(Person).where(Person.archived.is_(False)).scalar_subquery(),
        select(func.count()).select_from(Organisation).where(Organisation.archived.is_(False)).scalar_subquery(),
    )


@cache
def _recent_people() -> Select:
    return (
        select(Person.id, Person.given_name, Person.patronymic, Person.family_name, Person.created_at)
        .where(Person.archived.is_(False))
        .order_by(Person.id.desc())  # ids follow creation; the primary key needs no sort
        .limit(RECENT_PEOPLE)
    )


@cache
def _recent_changes() -> Select:
    """The latest edits to people and organisations, with who made them and whom they were about."""
    return (
        select(
            AuditEntry.at,
            AuditEntry.actor_id,
            User.name.label("actor_name"),
            User.email.label("actor_email"),
            AuditEntry.action,
            AuditEntry.entity_type,
            AuditEntry.entity_id,
            Person.id.label("person_id"),
            Person.given_name,
            Person.patronymic,
            Person.family_name,
            Organisation.name.label("organisation_name"),
        )
        .outerjoin(User, AuditEntry.actor_id == User.id)
        .outerjoin(Person, and_(AuditEntry.entity_type == "person", Person.id == AuditEntry.entity_id))
        .outerjoin(
            Organisation, and_(AuditEntry.entity_type == "organisation", Organisation.id == AuditEntry.entity_id)
        )
        .where(AuditEntry.entity_type.in_(("person", "organisation")))
        .order_by(AuditEntry.id.desc())
        .limit(RECENT_CHANGES)
    )


def _change(row) -> RecentChange:
    if row.person_id is not None:
        label = display_name(row.given_name, row.patronymic, row.family_name)
    else:  # a deleted record keeps its line, named by type and id
        label = row.organisation_name or f"{row.entity_type} #{row.entity_id}"
    actor = (row.actor_name or row.actor_email) if row.actor_email else "system"  # User.label
    return RecentChange(row.at, actor, row.action, row.entity_type, row.entity_id, label)


def overview() -> Overview:
    people, organisations = db.session.execute(_contact_counts()).one()
    recent = db.session.execute(_recent_people())
    return Overview(
        people=people or 0,
        organisations=organisations or 0,
        recent_people=[RecentPerson(row.id, display_name(*row[1:4]), row.created_at) for row in recent],
        recent_changes=[_change(row) for row in db.session.execute(_recent_changes())],
    )


@dataclass(slots=True)
class MilestoneAhead:
    """A milestone of an active campaign in the days ahead, with a few people to mobilise for it."""

    on: date
    title: str
    campaign_id: int
    campaign_name: str
    days: int
    # A few recent supporters of the campaign: whom to call before the date.
    mobilise: list[SupporterName] = field(default_factory=list)
    more: bool = False


@cache
def _milestones_ahead_statement() -> Select:
    return (
        select(Milestone.on, Milestone.title, Milestone.campaign_id, Campaign.name)
        .join(Campaign, Milestone.campaign_id == Campaign.id)
        .where(
            Milestone.on >= bindparam("as_of", type_=Date),
            Milestone.on <= bindparam("until", type_=Date),
            Campaign.status == "active",
        )
        .order_by(Milestone.on, Milestone.id)
        .limit(DASHBOARD_MILESTONES)
    )


def milestones_ahead(as_of: date, days: int = 90) -> list[MilestoneAhead]:
    """The next milestones of active campaigns, each with a few recent supporters of its campaign."""
    rows = db.session.execute(_milestones_ahead_statement(), {"as_of": as_of, "until": as_of + timedelta(days=days)})
    milestones = [
        MilestoneAhead(on, title, campaign_id, name, (on - as_of).days) for on, title, campaign_id, name in rows
    ]
    campaign_ids = list(dict.fromkeys(milestone.campaign_id for milestone in milestones))
    supporters = recent_supporters(campaign_ids, PEOPLE_TO_MOBILISE + 1)  # one more tells whether there are more
    for milestone in milestones:
        found = supporters[milestone.campaign_id]
        milestone.mobilise, milestone.more = found[:PEOPLE_TO_MOBILISE], len(found) > PEOPLE_TO_MOBILISE
    return milestones


@dataclass
class WorkQueues:
    mine: Queue | None  # what is due and mine (crm.outreach.my_queue); the rest are the team's
    awaiting: Queue
    follow_ups: list[FollowUp]
    follow_ups_total: int
    milestones: list[MilestoneAhead]
    responses: list[ReplyRow]
    campaigns: list[CampaignSummary]


def work_queues(*, user: User | None = None, as_of: date | None = None) -> WorkQueues:
    """What needs doing: `user`'s own queue first, then the team's overdue replies and follow-ups, the
    next milestones, news, the campaigns."""
    as_of = as_of or today()
    follow_ups = follow_ups_due(limit=10, as_of=as_of)
    return WorkQueues(
        mine=my_queue(QueueFilter(), user=user, limit=MY_ITEMS, as_of=as_of) if user else None,
        awaiting=awaiting_rows(limit=10, as_of=as_of),
        follow_ups=follow_ups.items,
        follow_ups_total=follow_ups.total,
        milestones=milestones_ahead(as_of),
        responses=recent_responses(10),
        campaigns=active_campaign_summaries(DASHBOARD_CAMPAIGNS, as_of=as_of),
    )
