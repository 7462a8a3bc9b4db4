"""Work queues: who still owes an answer, follow-ups that are due, milestones ahead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from crm.campaigns.models import Campaign, Milestone
from crm.extensions import db
from crm.outreach.models import Outreach, Participant, Response
from crm.timeutil import today

# Counting a queue of a million overdue replies exactly costs a full scan; past this many, "1000+" says enough.
COUNT_CAP = 1000


@dataclass
class Queue:
    items: list
    total: int
    capped: bool = False  # the total is a lower bound: there are more

    @property
    def total_label(self) -> str:
        return f"{self.total}+" if self.capped else str(self.total)


def _capped_count(*condition) -> tuple[int, bool]:
    rows = select(Participant.id).where(*condition).limit(COUNT_CAP + 1).subquery()
    total = db.session.scalar(select(func.count()).select_from(rows)) or 0
    return min(total, COUNT_CAP), total > COUNT_CAP


def awaiting_replies(*, limit: int = 50, campaign_id: int | None = None, as_of: date | None = None) -> Queue:
    """Recipients whose reply is overdue for the kind of outreach, oldest first."""
    as_of = as_of or today()
    condition = [Participant.reply_state == "awaiting", Participant.reply_due_on <= as_of]
    if campaign_id:
        condition.append(Participant.outreach_id.in_(select(Outreach.id).where(Outreach.campaign_id == campaign_id)))
    items = db.session.scalars(
        select(Participant)
        .where(*condition)
        .order_by(Participant.reply_due_on, Participant.id)
        .limit(limit)
        .options(
            joinedload(Participant.outreach).joinedload(Outreach.kind),
            joinedload(Participant.person),
            joinedload(Participant.organisation),
        )
    ).all()
    if len(items) < limit:
        return Queue(items=list(items), total=len(items))
    total, capped = _capped_count(*condition)
    return Queue(items=list(items), total=total, capped=capped)


def overdue_follow_ups(*, limit: int = 50, as_of: date | None = None) -> Queue:
    """Outreach entries and responses whose follow-up date has come."""
    as_of = as_of or today()
    outreach_condition = [Outreach.follow_up_on <= as_of, Outreach.status != "closed"]
    response_condition = [Response.follow_up_on <= as_of]
    outreach = db.session.scalars(
        select(Outreach).where(*outreach_condition).order_by(Outreach.follow_up_on).limit(limit)
    ).all()
    responses = db.session.scalars(
        select(Response)
        .where(*response_condition)
        .order_by(Response.follow_up_on)
        .limit(limit)
        .options(joinedload(Response.outreach), joinedload(Response.person), joinedload(Response.organisation))
    ).all()
    items = sorted([*outreach, *responses], key=lambda item: item.follow_up_on)[:limit]
    total = len(items)
    if len(outreach) == limit or len(responses) == limit:
        total = (db.session.scalar(select(func.count()).where(*outreach_condition)) or 0) + (
            db.session.scalar(select(func.count()).where(*response_condition)) or 0
        )
    return Queue(items=items, total=total)


def upcoming_milestones(*, days: int = 90, as_of: date | None = None) -> list[Milestone]:
    as_of = as_of or today()
    return list(
        db.session.scalars(
            select(Milestone)
            .join(Campaign)
            .where(Milestone.on >= as_of, Milestone.on <= as_of + timedelta(days=days), Campaign.status == "active")
            .order_by(Milestone.on)
            .options(selectinload(Milestone.campaign))
        )
    )


def recent_responses(limit: int = 10) -> list[Response]:
    return list(
        db.session.scalars(
            select(Response)
            .order_by(Response.received_on.desc(), Response.id.desc())
            .limit(limit)
            .options(
                joinedload(Response.outreach),
                joinedload(Response.person),
                joinedload(Response.organisation),
                joinedload(Response.outcome),
            )
        )
    )


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
