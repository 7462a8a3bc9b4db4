"""A person's or organisation's outreach and response history, a page at a time, with their reply rate.

Read as plain rows from statements built once (`@cache`, values bound at execution): for an MEP on
2 000 entries the page shows twenty of each, newest first, and one statement counts them all; building
the Participant, Outreach, kind and campaign objects behind them, or building and keying the
statements per request, cost more than the queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import Select, bindparam, case, func, select

from crm.campaigns.models import Campaign
from crm.extensions import db
from crm.outreach.models import PARTICIPANT_ROLES, REPLY_ROLES, Outreach, Participant, Response
from crm.sections import PER_PAGE, Section
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
    participations: Section  # of HistoryEntry
    responses: Section  # of HistoryReply
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
    """A page of the party's entries, newest first: the page's participants are picked from the person
    index and the entries' dates alone (an MEP is on thousands), and only their twenty rows are read."""
    newest_first = (Outreach.sent_on.desc().nulls_first(), Outreach.id.desc())
    page = (
        select(Participant.id)
        .join(Outreach, Participant.outreach_id == Outreach.id)
        .where(PARTIES[party][0] == bindparam("party_id"))
        .order_by(*newest_first)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
        .subquery("page")
    )
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
        .join(page, page.c.id == Participant.id)
        .join(Outreach, Participant.outreach_id == Outreach.id)
        .join(OutreachKind, Outreach.kind_id == OutreachKind.id)
        .outerjoin(Campaign, Outreach.campaign_id == Campaign.id)
        .order_by(*newest_first)
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
        .offset(bindparam("offset"))
    )


@cache
def _counts(party: str) -> Select:
    """Entries and replies in all, and asked and replied over all participations, not just the ones shown:
    one statement, reading the party's participations once."""
    participant_column, response_column = PARTIES[party]
    asked = Participant.role.in_(REPLY_ROLES) & (Participant.reply_state != "none")
    replies = select(func.count()).where(response_column == bindparam("party_id")).scalar_subquery()
    return select(
        func.count(),
        func.coalesce(func.sum(case((asked, 1), else_=0)), 0),
        func.coalesce(func.sum(case((asked & (Participant.reply_state == "replied"), 1), else_=0)), 0),
        replies,
    ).where(participant_column == bindparam("party_id"))


def _history(party: str, party_id: int, outreach_page: int, replies_page: int, per_page: int) -> History:
    values = {"party_id": party_id, "limit": per_page}
    entries, asked, replied, responses = db.session.execute(_counts(party), values).one()
    participations = db.session.execute(_participations(party), values | {"offset": (outreach_page - 1) * per_page})
    replies = db.session.execute(_replies(party), values | {"offset": (replies_page - 1) * per_page})
    return History(
        Section([HistoryEntry(*row) for row in participations], int(entries), outreach_page, per_page),
        Section([HistoryReply(*row) for row in replies], int(responses), replies_page, per_page),
        int(asked),
        int(replied),
    )


def person_history(person_id: int, outreach_page: int = 1, replies_page: int = 1, per_page: int = PER_PAGE) -> History:
    return _history("person", person_id, outreach_page, replies_page, per_page)


def organisation_history(
    organisation_id: int, outreach_page: int = 1, replies_page: int = 1, per_page: int = PER_PAGE
) -> History:
    return _history("organisation", organisation_id, outreach_page, replies_page, per_page)
