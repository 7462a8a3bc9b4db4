"""Figures and work queues for the start page.

The start page must stay fast with a million participations, so every query here is bounded by a
LIMIT or an indexed filter, and response rates come from the counters kept on each outreach entry
(Outreach.recipient_count / replied_count), never from counting participants.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from crm.audit.models import AuditEntry
from crm.campaigns.models import Campaign, Milestone
from crm.campaigns.overview import SUPPORTING_EFFECTS, SUPPORTING_ROLES
from crm.contacts.models import Organisation, Person
from crm.extensions import db
from crm.outreach.models import Outreach, Participant, Response
from crm.outreach.queues import Queue, awaiting_replies, overdue_follow_ups, recent_responses, upcoming_milestones
from crm.taxonomy.models import Category, ResponseOutcome
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
                .order_by(Person.created_at.desc(), Person.id.desc())
                .limit(8)
            )
        ),
        recent_changes=[(entry, _label(entry, people, organisations)) for entry in entries],
    )


@dataclass
class CampaignSummary:
    """One line about a campaign: where it stands, what comes next, how many answered."""

    campaign: Campaign
    next_milestone: Milestone | None = None
    outreach: int = 0
    last_outreach_on: date | None = None
    recipients: int = 0
    replied: int = 0

    @property
    def response_rate(self) -> float | None:
        return self.replied / self.recipients if self.recipients else None


def campaign_summaries(campaigns: list[Campaign], *, as_of: date | None = None) -> list[CampaignSummary]:
    """Summaries in the order given, from two grouped queries whatever the number of campaigns."""
    as_of = as_of or today()
    summaries = {campaign.id: CampaignSummary(campaign) for campaign in campaigns}
    if not summaries:
        return []
    ids = list(summaries)
    totals = db.session.execute(
        select(
            Outreach.campaign_id,
            func.count(Outreach.id),
            func.max(Outreach.sent_on),
            func.coalesce(func.sum(Outreach.recipient_count), 0),
            func.coalesce(func.sum(Outreach.replied_count), 0),
        )
        .where(Outreach.campaign_id.in_(ids), Outreach.status != "draft")
        .group_by(Outreach.campaign_id)
    )
    for campaign_id, count, last_on, recipients, replied in totals:
        summary = summaries[campaign_id]
        summary.outreach, summary.last_outreach_on = count, last_on
        summary.recipients, summary.replied = int(recipients), int(replied)
    first_ahead = (
        select(Milestone.campaign_id, func.min(Milestone.on).label("on"))
        .where(Milestone.campaign_id.in_(ids), Milestone.on >= as_of)
        .group_by(Milestone.campaign_id)
        .subquery()
    )
    upcoming = db.session.scalars(
        select(Milestone)
        .join(first_ahead, and_(Milestone.campaign_id == first_ahead.c.campaign_id, Milestone.on == first_ahead.c.on))
        .order_by(Milestone.id)
    )
    for milestone in upcoming:
        summaries[milestone.campaign_id].next_milestone = summaries[milestone.campaign_id].next_milestone or milestone
    return list(summaries.values())


@dataclass
class FollowUp:
    """A follow-up that has come due, whether set on an outreach entry or on a reply."""

    due_on: date
    what: str
    subject: str
    outreach_id: int
    party: str = ""


def follow_up_rows(items: list[Outreach | Response]) -> list[FollowUp]:
    rows = []
    for item in items:
        if isinstance(item, Response):
            rows.append(FollowUp(item.follow_up_on, "Reply", item.outreach.subject, item.outreach_id, item.party_name))
        else:
            rows.append(FollowUp(item.follow_up_on, item.kind.name, item.subject, item.id))
    return rows


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


def recent_supporter_ids(campaign_id: int, limit: int) -> list[int]:
    """Up to `limit` people who wrote, signed, acted or committed for the campaign, most recent first.

    Bounded queries (newest first, LIMIT) rather than a count over all the campaign's participations.
    Like the campaign page's supporters, our own staff and archived contacts are left out."""
    staff_category = select(Category.id).where(Category.code == "foundation_staff").scalar_subquery()
    supporter = and_(
        Person.archived.is_(False), or_(Person.category_id.is_(None), Person.category_id != staff_category)
    )
    participations = db.session.execute(
        select(Participant.person_id, Outreach.sent_on)
        .join(Outreach, Participant.outreach_id == Outreach.id)
        .join(Person, Participant.person_id == Person.id)
        .where(
            Outreach.campaign_id == campaign_id,
            Outreach.status != "draft",
            Participant.role.in_(SUPPORTING_ROLES),
            supporter,
        )
        .order_by(Outreach.sent_on.desc(), Participant.id.desc())
        .limit(limit * 4)
    ).all()
    replies = db.session.execute(
        select(Response.person_id, Response.received_on)
        .join(Outreach, Response.outreach_id == Outreach.id)
        .join(ResponseOutcome, Response.outcome_id == ResponseOutcome.id)
        .join(Person, Response.person_id == Person.id)
        .where(Outreach.campaign_id == campaign_id, ResponseOutcome.effect.in_(SUPPORTING_EFFECTS), supporter)
        .order_by(Response.received_on.desc(), Response.id.desc())
        .limit(limit * 4)
    ).all()
    ordered = sorted([*participations, *replies], key=lambda row: row[1] or date.min, reverse=True)
    return list(dict.fromkeys(person_id for person_id, _ in ordered))[:limit]


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
