"""A person's or organisation's whole outreach and response history, with their reply rate.

Read as plain rows from statements built once (`@cache`, values bound at execution): for an MEP on
2 000 entries the page shows a hundred of each, and building the Participant, Outreach, kind and
campaign objects behind them, or building and keying the statements per request, cost more than the
queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import Select, bindparam, case, func, select

from crm.campaigns.models import Campaign
from crm.extensions import db
from crm.outreach.models import PARTICIPANT_ROLES, REPLY_ROLES, Outreach, Participant, Response
from crm.taxonomy.models import OutreachKind, ResponseOutcome


@dataclass(slots=True)
class HistoryEntry:
    """One outreach entry the party was on, in a role, with their reply state."""

    outreach_id: int
    sent_on: date | None
    subject: str
    kind_name: str
    campaign_name: str | None
    role: str
    reply_state: str
    reply_due_on: date | None
    replied_on: date | None

    @property
    def role_label(self) -> str:
        return PARTICIPANT_ROLES.get(self.role, self.role)


@dataclass(slots=True)
class HistoryReply:
    """One reply the party gave."""

    id: int
    outreach_id: int
    received_on: date
    subject: str
    outcome_name: str | None


@dataclass
class History:
    participations: list[HistoryEntry]
    responses: list[HistoryReply]
    asked: int
    replied: int

    @property
    def reply_rate(self) -> float | None:
        return self.replied / self.asked if self.asked else None


PARTIES = {  # the participant and response columns that name the party, by kind of party
    "person": (Participant.person_id, Response.person_id),
    "organisation": (Participant.organisation_id, Response.organisation_id),
}


@cache
def _participations(party: str) -> Select:
    return (
        select(
            Participant.outreach_id,
            Outreach.sent_on,
            Outreach.subject,
            OutreachKind.name,
            Campaign.name,
            Participant.role,
            Participant.reply_state,
            Participant.reply_due_on,
            Participant.replied_on,
        )
        .join(Outreach, Participant.outreach_id == Outreach.id)
        .join(OutreachKind, Outreach.kind_id == OutreachKind.id)
        .outerjoin(Campaign, Outreach.campaign_id == Campaign.id)
        .where(PARTIES[party][0] == bindparam("party_id"))
        .order_by(Outreach.sent_on.desc().nulls_first(), Outreach.id.desc())
        .limit(bindparam("limit"))
    )


@cache
def _replies(party: str) -> Select:
    return (
        select(Response.id, Response.outreach_id, Response.received_on, Outreach.subject, ResponseOutcome.name)
        .join(Outreach, Response.outreach_id == Outreach.id)
        .outerjoin(ResponseOutcome, Response.outcome_id == ResponseOutcome.id)
        .where(PARTIES[party][1] == bindparam("party_id"))
        .order_by(Response.received_on.desc(), Response.id.desc())
        .limit(bindparam("limit"))
    )


@cache
def _reply_rate(party: str) -> Select:
    """Asked and replied, counted over all participations, not just the ones shown."""
    column = PARTIES[party][0]
    return select(
        func.count(),
        func.coalesce(func.sum(case((Participant.reply_state == "replied", 1), else_=0)), 0),
    ).where(column == bindparam("party_id"), Participant.role.in_(REPLY_ROLES), Participant.reply_state != "none")


def _history(party: str, party_id: int, limit: int) -> History:
    values = {"party_id": party_id, "limit": limit}
    asked, replied = db.session.execute(_reply_rate(party), values).one()
    return History(
        [HistoryEntry(*row) for row in db.session.execute(_participations(party), values)],
        [HistoryReply(*row) for row in db.session.execute(_replies(party), values)],
        int(asked),
        int(replied),
    )


def person_history(person_id: int, limit: int = 100) -> History:
    return _history("person", person_id, limit)


def organisation_history(organisation_id: int, limit: int = 100) -> History:
    return _history("organisation", organisation_id, limit)
