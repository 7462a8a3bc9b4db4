"""A person's or organisation's whole outreach and response history, with their reply rate."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from crm.extensions import db
from crm.outreach.models import REPLY_ROLES, Outreach, Participant, Response


@dataclass
class History:
    participations: list[Participant]
    responses: list[Response]
    asked: int
    replied: int

    @property
    def reply_rate(self) -> float | None:
        return self.replied / self.asked if self.asked else None


def _history(column_participant, column_response, party_id: int, limit: int) -> History:
    participations = db.session.scalars(
        select(Participant)
        .join(Outreach, Participant.outreach_id == Outreach.id)
        .where(column_participant == party_id)
        .order_by(Outreach.sent_on.desc().nulls_first(), Outreach.id.desc())
        .limit(limit)
        .options(
            joinedload(Participant.outreach).joinedload(Outreach.kind),
            joinedload(Participant.outreach).joinedload(Outreach.campaign),
        )
    ).all()
    responses = db.session.scalars(
        select(Response)
        .where(column_response == party_id)
        .order_by(Response.received_on.desc(), Response.id.desc())
        .limit(limit)
        .options(joinedload(Response.outreach), joinedload(Response.outcome))
    ).all()
    # Counted over all participations, not just the ones shown.
    asked, replied = db.session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((Participant.reply_state == "replied", 1), else_=0)), 0),
        ).where(column_participant == party_id, Participant.role.in_(REPLY_ROLES), Participant.reply_state != "none")
    ).one()
    return History(list(participations), list(responses), int(asked), int(replied))


def person_history(person_id: int, limit: int = 100) -> History:
    return _history(Participant.person_id, Response.person_id, person_id, limit)


def organisation_history(organisation_id: int, limit: int = 100) -> History:
    return _history(Participant.organisation_id, Response.organisation_id, organisation_id, limit)
