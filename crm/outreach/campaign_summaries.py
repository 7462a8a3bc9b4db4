"""Campaign figures computed in bounded, grouped queries: fit for lists and the dashboard,
however many campaigns and participations there are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import BindParameter, Date, Select, bindparam, func, literal, select, union_all

from crm.campaigns.models import Campaign, Milestone
from crm.campaigns.support import SUPPORTING_EFFECTS, SUPPORTING_ROLES
from crm.contacts.models import Person
from crm.extensions import db
from crm.outreach.models import Outreach, Participant, Response
from crm.outreach.parties import display_name
from crm.taxonomy.models import Category, ResponseOutcome
from crm.timeutil import today


@dataclass(slots=True)
class NextMilestone:
    on: date
    title: str


@dataclass
class CampaignSummary:
    """One line about a campaign: where it stands, what comes next, how many answered."""

    campaign: Campaign
    next_milestone: NextMilestone | None = None
    outreach: int = 0
    last_outreach_on: date | None = None
    recipients: int = 0
    replied: int = 0

    @property
    def response_rate(self) -> float | None:
        return self.replied / self.recipients if self.recipients else None


@cache
def _summaries_statement(active: bool) -> Select:
    """Per campaign, its outreach totals and its first milestone from :as_of: for the campaigns in :ids, or
    with `active` for the first :limit active campaigns by name, loaded with them. Built once, as building
    and keying it cost more than running it."""
    chosen = select(Campaign.id).where(Campaign.status == "active") if active else bindparam("ids", expanding=True)
    totals = (
        select(
            Outreach.campaign_id,
            func.count(Outreach.id).label("outreach"),
            func.max(Outreach.sent_on).label("last_on"),
            func.coalesce(func.sum(Outreach.recipient_count), 0).label("recipients"),
            func.coalesce(func.sum(Outreach.replied_count), 0).label("replied"),
        )
        .where(Outreach.campaign_id.in_(chosen), Outreach.status != "draft")
        .group_by(Outreach.campaign_id)
        .subquery()
    )
    first_ahead = (
        select(Milestone.id)
        .where(Milestone.campaign_id == Campaign.id, Milestone.on >= bindparam("as_of", type_=Date))
        .order_by(Milestone.on, Milestone.id)
        .limit(1)
        .correlate(Campaign)
        .scalar_subquery()
    )
    statement = (
        select(Campaign if active else Campaign.id)
        .add_columns(totals.c.outreach, totals.c.last_on, totals.c.recipients, totals.c.replied)
        .add_columns(Milestone.on, Milestone.title)
        .outerjoin(totals, totals.c.campaign_id == Campaign.id)
        .outerjoin(Milestone, Milestone.id == first_ahead)
    )
    if active:
        return statement.where(Campaign.status == "active").order_by(Campaign.name).limit(bindparam("limit"))
    return statement.where(Campaign.id.in_(chosen))


def _fill(summary: CampaignSummary, count, last_on, recipients, replied, milestone_on, milestone_title) -> None:
    summary.outreach, summary.last_outreach_on = count or 0, last_on
    summary.recipients, summary.replied = int(recipients or 0), int(replied or 0)
    if milestone_on is not None:
        summary.next_milestone = NextMilestone(milestone_on, milestone_title)


def campaign_summaries(campaigns: list[Campaign], *, as_of: date | None = None) -> list[CampaignSummary]:
    """Summaries in the order given, from one statement whatever the number of campaigns."""
    summaries = {campaign.id: CampaignSummary(campaign) for campaign in campaigns}
    if not summaries:
        return []
    rows = db.session.execute(_summaries_statement(False), {"ids": list(summaries), "as_of": as_of or today()})
    for campaign_id, *figures in rows:
        _fill(summaries[campaign_id], *figures)
    return list(summaries.values())


def active_campaign_summaries(limit: int, *, as_of: date | None = None) -> list[CampaignSummary]:
    """The first `limit` active campaigns by name with their summaries: the campaigns and their figures in
    one statement."""
    rows = db.session.execute(_summaries_statement(True), {"limit": limit, "as_of": as_of or today()})
    summaries = []
    for campaign, *figures in rows:
        summary = CampaignSummary(campaign)
        _fill(summary, *figures)
        summaries.append(summary)
    return summaries


STAFF_CATEGORY = "foundation_staff"  # our own staff write and sign too; they are not the campaign's supporters


@dataclass(slots=True)
class SupporterName:
    id: int
    display_name: str


def _supporter_candidates(campaign: BindParameter, candidates: int) -> list[Select]:
    """A campaign's newest supporting participations and replies, each side ordered and limited on its own
    so that it walks its index (ix_outreach_campaign_sent, ix_response_campaign_recent) and stops early."""
    participations = (
        select(
            Outreach.campaign_id,
            Participant.person_id,
            Outreach.sent_on.label("on"),
            literal(0).label("source"),
            Participant.id.label("tie"),
        )
        .join(Outreach, Participant.outreach_id == Outreach.id)
        .where(
            Outreach.campaign_id == campaign,
            Outreach.status != "draft",
            Participant.role.in_(SUPPORTING_ROLES),
            Participant.person_id.is_not(None),
        )
        .order_by(Outreach.sent_on.desc(), Participant.id.desc())
        .limit(candidates)
    )
    supporting = select(ResponseOutcome.id).where(ResponseOutcome.effect.in_(SUPPORTING_EFFECTS))
    replies = (
        select(
            Response.campaign_id,
            Response.person_id,
            Response.received_on.label("on"),
            literal(1).label("source"),
            Response.id.label("tie"),
        )
        .where(
            Response.campaign_id == campaign,
            Response.outcome_id.in_(supporting),
            Response.person_id.is_not(None),
        )
        .order_by(Response.received_on.desc(), Response.id.desc())
        .limit(candidates)
    )
    return [select(participations.subquery()), select(replies.subquery())]


@cache
def _supporters_statement(campaigns: int, candidates: int) -> Select:
    """The statement for `campaigns` campaigns, bound as campaign_0, campaign_1 …: built once per size,
    as building its sixteen parts took longer than running them."""
    parts = [
        part
        for position in range(campaigns)
        for part in _supporter_candidates(bindparam(f"campaign_{position}"), candidates)
    ]
    chosen = union_all(*parts).subquery()
    # Joined to person and category by primary key only, and staff and archived contacts left out in Python:
    # any condition on person, inside the parts or after them, let SQLite start from all 100 000 people
    # (and an index change on response brought that plan back).
    return (
        select(
            chosen.c.campaign_id,
            chosen.c.person_id,
            Person.given_name,
            Person.patronymic,
            Person.family_name,
            Person.archived,
            Category.code,
        )
        .join(Person, Person.id == chosen.c.person_id)
        .outerjoin(Category, Category.id == Person.category_id)
        # Newest first; on the same day what they wrote or signed before how they replied, then the newest row.
        .order_by(chosen.c.on.desc().nulls_last(), chosen.c.source, chosen.c.tie.desc())
    )


def recent_supporters(campaign_ids: list[int], limit: int) -> dict[int, list[SupporterName]]:
    """Up to `limit` people who wrote, signed, acted or committed for each campaign, most recent first.

    One statement for all the campaigns, made of bounded parts (newest first, LIMIT) rather than a count
    over all the campaigns' participations. Like the campaign page's supporters, our own staff and archived
    contacts are left out."""
    if not campaign_ids:
        return {}
    statement = _supporters_statement(len(campaign_ids), limit * 4)
    rows = db.session.execute(statement, {f"campaign_{i}": campaign_id for i, campaign_id in enumerate(campaign_ids)})
    found: dict[int, dict[int, SupporterName]] = {campaign_id: {} for campaign_id in campaign_ids}
    for campaign_id, person_id, given_name, patronymic, family_name, archived, category in rows.tuples():
        people = found[campaign_id]
        if archived or category == STAFF_CATEGORY or len(people) == limit or person_id in people:
            continue
        people[person_id] = SupporterName(person_id, display_name(given_name, patronymic, family_name))
    return {campaign_id: list(people.values()) for campaign_id, people in found.items()}
