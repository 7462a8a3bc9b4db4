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


@dataclass
class Queue:
    items: list
    total: int


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
    total = len(items) if len(items) < limit else db.session.scalar(select(func.count()).where(*condition))
    return Queue(items=list(items), total=total)


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
