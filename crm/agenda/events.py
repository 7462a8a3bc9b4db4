"""What a calendar shows: milestones, follow-ups due and meetings with a time, as plain events.

The feed and the month view read the same four statements (one per kind of event, columns only, no
objects), so a calendar of 5 000 events costs four queries, not one per event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, select

from crm.campaigns.models import Campaign, Milestone, campaign_owner
from crm.extensions import db
from crm.outreach.models import Outreach, Response
from crm.outreach.queues import OPEN_STATUSES
from crm.taxonomy.models import OutreachKind
from crm.timeutil import to_local, to_utc

KINDS = {"milestone": "Milestone", "follow_up": "Follow-up", "meeting": "Meeting"}


@dataclass(frozen=True)
class Scope:
    """Which events: a span of days, one campaign, one staff member's."""

    start: date | None = None  # first day shown
    end: date | None = None  # the day after the last
    campaign_id: int | None = None
    # Outreach this staff member owns (follow-ups, meetings), and milestones of the campaigns they own…
    owner_id: int | None = None
    # …unless they want the milestones of every campaign.
    all_campaigns: bool = False


@dataclass(slots=True)
class AgendaEvent:
    uid: str  # stable per record: "milestone-12", "follow-up-7", "reply-follow-up-3", "meeting-9"
    kind: str  # a key of KINDS
    title: str
    day: date  # the date of an all-day event; a meeting's day where staff are (CRM_TIMEZONE)
    campaign: str = ""
    campaign_id: int | None = None
    outreach_id: int | None = None
    starts_at: datetime | None = None  # naive UTC: a timed event
    ends_at: datetime | None = None
    location: str = ""

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]


def _within(column, scope: Scope) -> list:
    condition = []
    if scope.start is not None:
        condition.append(column >= scope.start)
    if scope.end is not None:
        condition.append(column < scope.end)
    return condition


def _outreach_scope(scope: Scope) -> list:
    condition = []
    if scope.campaign_id is not None:
        condition.append(Outreach.campaign_id == scope.campaign_id)
    if scope.owner_id is not None:
        condition.append(Outreach.owner_id == scope.owner_id)
    return condition


def _milestones(scope: Scope) -> Select:
    query = (
        select(Milestone.id, Milestone.on, Milestone.title, Campaign.id.label("campaign_id"), Campaign.name)
        .join(Campaign, Milestone.campaign_id == Campaign.id)
        .where(*_within(Milestone.on, scope))
    )
    if scope.campaign_id is not None:
        query = query.where(Milestone.campaign_id == scope.campaign_id)
    if scope.owner_id is not None and not scope.all_campaigns:
        owned = select(campaign_owner.c.campaign_id).where(campaign_owner.c.user_id == scope.owner_id)
        query = query.where(Milestone.campaign_id.in_(owned))
    return query


def _outreach_follow_ups(scope: Scope) -> Select:
    return (
        select(Outreach.id, Outreach.follow_up_on, Outreach.subject, Campaign.id.label("campaign_id"), Campaign.name)
        .outerjoin(Campaign, Outreach.campaign_id == Campaign.id)
        .where(
            Outreach.follow_up_on.is_not(None),
            Outreach.status.in_(OPEN_STATUSES),
            *_within(Outreach.follow_up_on, scope),
            *_outreach_scope(scope),
        )
    )


def _reply_follow_ups(scope: Scope) -> Select:
    # A reply's follow-up is the outreach owner's to do: replies have no owner of their own.
    return (
        select(
            Response.id,
            Response.follow_up_on,
            Response.outreach_id,
            Outreach.subject,
            Campaign.id.label("campaign_id"),
            Campaign.name,
        )
        .join(Outreach, Response.outreach_id == Outreach.id)
        .outerjoin(Campaign, Outreach.campaign_id == Campaign.id)
        .where(Response.follow_up_on.is_not(None), *_within(Response.follow_up_on, scope), *_outreach_scope(scope))
    )


def _meetings(scope: Scope) -> Select:
    # The span is in days where staff are; the times are stored in UTC.
    start = to_utc(datetime.combine(scope.start, time())) if scope.start else None
    end = to_utc(datetime.combine(scope.end, time())) if scope.end else None
    condition = [Outreach.starts_at.is_not(None)]
    if start is not None:
        condition.append(Outreach.starts_at >= start)
    if end is not None:
        condition.append(Outreach.starts_at < end)
    return (
        select(
            Outreach.id,
            Outreach.starts_at,
            Outreach.ends_at,
            Outreach.subject,
            Outreach.location,
            OutreachKind.name.label("kind"),
            Campaign.id.label("campaign_id"),
            Campaign.name,
        )
        .join(OutreachKind, Outreach.kind_id == OutreachKind.id)
        .outerjoin(Campaign, Outreach.campaign_id == Campaign.id)
        .where(*condition, *_outreach_scope(scope))
    )


def agenda_events(scope: Scope) -> list[AgendaEvent]:
    """Every event in the scope, by day; all-day events before timed ones."""
    events = [
        AgendaEvent(f"milestone-{row.id}", "milestone", f"{row.name}: {row.title}", row.on, row.name, row.campaign_id)
        for row in db.session.execute(_milestones(scope))
    ]
    events += [
        AgendaEvent(
            f"follow-up-{row.id}",
            "follow_up",
            f"Follow up: {row.subject}",
            row.follow_up_on,
            row.name or "",
            row.campaign_id,
            outreach_id=row.id,
        )
        for row in db.session.execute(_outreach_follow_ups(scope))
    ]
    events += [
        AgendaEvent(
            f"reply-follow-up-{row.id}",
            "follow_up",
            f"Follow up the reply: {row.subject}",
            row.follow_up_on,
            row.name or "",
            row.campaign_id,
            outreach_id=row.outreach_id,
        )
        for row in db.session.execute(_reply_follow_ups(scope))
    ]
    events += [
        AgendaEvent(
            f"meeting-{row.id}",
            "meeting",
            f"{row.kind}: {row.subject}",
            to_local(row.starts_at).date(),
            row.name or "",
            row.campaign_id,
            outreach_id=row.id,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            location=row.location,
        )
        for row in db.session.execute(_meetings(scope))
    ]
    events.sort(key=lambda event: (event.day, event.starts_at or datetime.min, event.kind, event.uid))
    return events


def feed_scope(user_id: int, *, all_campaigns: bool, today: date, past_days: int = 365) -> Scope:
    """A staff member's feed: their own follow-ups and meetings, their (or all) campaigns' milestones,
    from a year back on (a calendar app need not carry the case's whole history)."""
    return Scope(start=today - timedelta(days=past_days), owner_id=user_id, all_campaigns=all_campaigns)
