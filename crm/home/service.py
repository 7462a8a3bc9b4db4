"""Figures and work queues for the start page.

The start page must stay fast with a million participations, so every query here is bounded by a
LIMIT or an indexed filter, and response rates come from the counters kept on each outreach entry
(Outreach.recipient_count / replied_count), never from counting participants.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from crm.audit.models import AuditEntry
from crm.campaigns.models import Campaign, Milestone
from crm.campaigns.summaries import CampaignSummary, campaign_summaries, recent_supporter_ids
from crm.contacts.models import Organisation, Person
from crm.extensions import db
from crm.outreach.models import Response
from crm.outreach.queues import (
    FollowUp,
    Queue,
    awaiting_replies,
    follow_up_rows,
    overdue_follow_ups,
    recent_responses,
    upcoming_milestones,
)
from crm.timeutil import today

DASHBOARD_CAMPAIGNS = 20
DASHBOARD_MILESTONES = 8
PEOPLE_TO_MOBILISE = 5


@dataclass
class Overview:
    people: int
    organisations: int
    recent_people: list[Person]
    recent_changes: list[tuple[AuditEntry, str]]


def _label(entry: AuditEntry, people: dict[int, Person], organisations: dict[int, Organisation]) -> str:
    if entry.entity_type == "person" and entry.entity_id in people:
        return people[entry.entity_id].display_name
    if entry.entity_type == "organisation" and entry.entity_id in organisations:
        return organisations[entry.entity_id].name
    return f"{entry.entity_type} #{entry.entity_id}"


def overview() -> Overview:
    entries = list(
        db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity_type.in_(("person", "organisation")))
            .order_by(AuditEntry.id.desc())
            .limit(12)
            .options(selectinload(AuditEntry.actor))
        )
    )
    person_ids = {e.entity_id for e in entries if e.entity_type == "person"}
    organisation_ids = {e.entity_id for e in entries if e.entity_type == "organisation"}
    people = {p.id: p for p in db.session.scalars(select(Person).where(Person.id.in_(person_ids)))}
    organisations = {
        o.id: o for o in db.session.scalars(select(Organisation).where(Organisation.id.in_(organisation_ids)))
    }
    return Overview(
        people=db.session.scalar(select(func.count()).where(Person.archived.is_(False))) or 0,
        organisations=db.session.scalar(select(func.count()).where(Organisation.archived.is_(False))) or 0,
        recent_people=list(
            db.session.scalars(
                select(Person)
                .where(Person.archived.is_(False))
                .order_by(Person.id.desc())  # ids follow creation; the primary key needs no sort
                .limit(8)
            )
        ),
        recent_changes=[(entry, _label(entry, people, organisations)) for entry in entries],
    )


@dataclass
class MilestoneAhead:
    milestone: Milestone
    days: int
    # A few recent supporters of the campaign: whom to call before the date.
    mobilise: list[Person] = field(default_factory=list)
    more: bool = False


@dataclass
class WorkQueues:
    awaiting: Queue
    follow_ups: list[FollowUp]
    follow_ups_total: int
    milestones: list[MilestoneAhead]
    responses: list[Response]
    campaigns: list[CampaignSummary]


def _milestones_ahead(as_of: date) -> list[MilestoneAhead]:
    milestones = upcoming_milestones(days=90, as_of=as_of)[:DASHBOARD_MILESTONES]
    campaign_ids = dict.fromkeys(m.campaign_id for m in milestones)  # one lookup per campaign, in order
    wanted = {campaign_id: recent_supporter_ids(campaign_id, PEOPLE_TO_MOBILISE + 1) for campaign_id in campaign_ids}
    all_ids = {person_id for ids in wanted.values() for person_id in ids}
    people = {p.id: p for p in db.session.scalars(select(Person).where(Person.id.in_(all_ids)))} if all_ids else {}
    rows = []
    for milestone in milestones:
        found = [people[i] for i in wanted[milestone.campaign_id] if i in people]
        rows.append(
            MilestoneAhead(
                milestone,
                (milestone.on - as_of).days,
                found[:PEOPLE_TO_MOBILISE],
                more=len(found) > PEOPLE_TO_MOBILISE,
            )
        )
    return rows


def work_queues(*, as_of: date | None = None) -> WorkQueues:
    """What needs doing: overdue replies and follow-ups, the next milestones, news, the campaigns."""
    as_of = as_of or today()
    follow_ups = overdue_follow_ups(limit=10, as_of=as_of)
    campaigns = list(
        db.session.scalars(
            select(Campaign)
            .where(Campaign.status == "active")
            .order_by(Campaign.name)
            .limit(DASHBOARD_CAMPAIGNS)
            .options(selectinload(Campaign.subject))
        )
    )
    return WorkQueues(
        awaiting=awaiting_replies(limit=10, as_of=as_of),
        follow_ups=follow_up_rows(follow_ups.items),
        follow_ups_total=follow_ups.total,
        milestones=_milestones_ahead(as_of),
        responses=recent_responses(10),
        campaigns=campaign_summaries(campaigns, as_of=as_of),
    )
