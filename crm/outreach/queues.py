"""Work queues: who still owes an answer, follow-ups that are due, the latest replies.

The dashboard and the queue page read them as plain rows from statements built once (`@cache`, values
bound at execution): for lists of ten to a hundred lines, building Participant and Person objects, and
building and keying each statement on every request, cost more than SQLite takes to run it. The
campaign page and the services keep the object versions (awaiting_replies, overdue_follow_ups).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Date,
    Integer,
    Select,
    bindparam,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import joinedload

from crm.contacts.models import Organisation, Person
from crm.extensions import db
from crm.outreach.models import OUTREACH_STATUSES, Outreach, Participant, Response
from crm.outreach.parties import PARTY_COLUMNS, party_name
from crm.taxonomy.models import OutreachKind, ResponseOutcome
from crm.timeutil import today

# Counting a queue of a million overdue replies exactly costs a full scan; past this many, "1000+" says enough.
COUNT_CAP = 1000


def snooze_column(model):
    """Where a row of `model` keeps the day it is snoozed until: a recipient's reply, or a follow-up."""
    return model.snoozed_until if model is Participant else model.follow_up_snoozed_until


def not_snoozed(model, as_of) -> ColumnElement[bool]:
    """In the queues unless snoozed past `as_of`: on the day it was snoozed until, it is back."""
    column = snooze_column(model)
    return or_(column.is_(None), column <= as_of)


@dataclass
class Queue:
    items: list
    total: int
    capped: bool = False  # the total is a lower bound: there are more

    @property
    def total_label(self) -> str:
        return f"{self.total}+" if self.capped else str(self.total)


def _awaiting_condition(by_campaign: bool, snoozed_too: bool) -> list:
    """Overdue recipients, bound as :as_of and, with `by_campaign`, :campaign_id. The work queues leave
    out what is snoozed; the figures (the campaign page, its report) count every overdue reply."""
    as_of = bindparam("as_of", type_=Date)
    condition = [Participant.reply_state == "awaiting", Participant.reply_due_on <= as_of]
    if not snoozed_too:
        condition.append(not_snoozed(Participant, as_of))
    if by_campaign:
        in_campaign = select(Outreach.id).where(Outreach.campaign_id == bindparam("campaign_id", type_=Integer))
        condition.append(Participant.outreach_id.in_(in_campaign))
    return condition


@cache
def _awaiting_count(by_campaign: bool, snoozed_too: bool) -> Select:
    condition = _awaiting_condition(by_campaign, snoozed_too)
    rows = select(Participant.id).where(*condition).limit(bindparam("cap")).subquery()
    return select(func.count()).select_from(rows)


def _awaiting_queue(items: list, limit: int, values: dict, snoozed_too: bool) -> Queue:
    """A queue of the first `limit` items, counted (up to the cap) only when there may be more."""
    if len(items) < limit:
        return Queue(items=items, total=len(items))
    count = _awaiting_count("campaign_id" in values, snoozed_too)
    total = db.session.scalar(count, values | {"cap": COUNT_CAP + 1}) or 0
    return Queue(items=items, total=min(total, COUNT_CAP), capped=total > COUNT_CAP)


def _awaiting_values(limit: int, campaign_id: int | None, as_of: date | None) -> dict:
    values = {"as_of": as_of or today(), "limit": limit}
    return values | {"campaign_id": campaign_id} if campaign_id else values


@cache
def _awaiting_participants(by_campaign: bool) -> Select:
    return (
        select(Participant)
        .where(*_awaiting_condition(by_campaign, snoozed_too=True))
        .order_by(Participant.reply_due_on, Participant.id)
        .limit(bindparam("limit"))
        .options(
            joinedload(Participant.outreach).joinedload(Outreach.kind),
            joinedload(Participant.person),
            joinedload(Participant.organisation),
        )
    )


def awaiting_replies(*, limit: int = 50, campaign_id: int | None = None, as_of: date | None = None) -> Queue:
    """Recipients whose reply is overdue for the kind of outreach, oldest first, as Participant objects;
    snoozed ones too, as these are the figures, not a work queue."""
    values = _awaiting_values(limit, campaign_id, as_of)
    items = db.session.scalars(_awaiting_participants(bool(campaign_id)), values).all()
    return _awaiting_queue(list(items), limit, values, snoozed_too=True)


@dataclass(slots=True)
class AwaitingRow:
    """A recipient whose reply is overdue, with what the queues show of the outreach entry."""

    outreach_id: int
    subject: str
    kind_name: str
    sent_on: date | None
    reply_due_on: date
    person_id: int | None
    organisation_id: int | None
    participant_id: int
    party_name: str


@cache
def _awaiting_rows(by_campaign: bool) -> Select:
    return (
        select(
            Participant.outreach_id,
            Outreach.subject,
            OutreachKind.name.label("kind_name"),
            Outreach.sent_on,
            Participant.reply_due_on,
            Participant.person_id,
            Participant.organisation_id,
            Participant.id.label("participant_id"),
            *PARTY_COLUMNS,
        )
        .join(Outreach, Participant.outreach_id == Outreach.id)
        .join(OutreachKind, Outreach.kind_id == OutreachKind.id)
        .outerjoin(Person, Participant.person_id == Person.id)
        .outerjoin(Organisation, Participant.organisation_id == Organisation.id)
        .where(*_awaiting_condition(by_campaign, snoozed_too=False))
        .order_by(Participant.reply_due_on, Participant.id)
        .limit(bindparam("limit"))
    )


def awaiting_rows(*, limit: int = 50, campaign_id: int | None = None, as_of: date | None = None) -> Queue:
    """awaiting_replies as AwaitingRow lines for the dashboard and the queue page, less what is snoozed."""
    values = _awaiting_values(limit, campaign_id, as_of)
    rows = db.session.execute(_awaiting_rows(bool(campaign_id)), values)
    return _awaiting_queue([AwaitingRow(*row[:8], party_name(row)) for row in rows], limit, values, False)


# Named rather than `status != "closed"`, so that the search walks ix_outreach_open_follow_up (status,
# follow_up_on) instead of reading every entry.
OPEN_STATUSES = tuple(status for status in OUTREACH_STATUSES if status != "closed")


def _follow_up_conditions() -> tuple[list, list]:
    """Follow-ups come due on entries still open and on replies, bound as :as_of."""
    as_of = bindparam("as_of", type_=Date)
    return (
        [Outreach.follow_up_on <= as_of, Outreach.status.in_(OPEN_STATUSES), not_snoozed(Outreach, as_of)],
        [Response.follow_up_on <= as_of, not_snoozed(Response, as_of)],
    )


@cache
def _follow_up_totals() -> Select:
    on_outreach, on_responses = _follow_up_conditions()
    return select(
        select(func.count()).select_from(Outreach).where(*on_outreach).scalar_subquery(),
        select(func.count()).select_from(Response).where(*on_responses).scalar_subquery(),
    )


def _follow_up_total(as_of: date) -> int:
    return sum(db.session.execute(_follow_up_totals(), {"as_of": as_of}).one())


def overdue_follow_ups(*, limit: int = 50, as_of: date | None = None) -> Queue:
    """Outreach entries and responses whose follow-up date has come, as objects."""
    as_of = as_of or today()
    on_outreach, on_responses = _follow_up_conditions()
    values = {"as_of": as_of}
    outreach = db.session.scalars(
        select(Outreach).where(*on_outreach).order_by(Outreach.follow_up_on).limit(limit), values
    ).all()
    responses = db.session.scalars(
        select(Response)
        .where(*on_responses)
        .order_by(Response.follow_up_on)
        .limit(limit)
        .options(joinedload(Response.outreach), joinedload(Response.person), joinedload(Response.organisation)),
        values,
    ).all()
    items = sorted([*outreach, *responses], key=lambda item: item.follow_up_on)[:limit]
    total = len(items)
    if len(outreach) == limit or len(responses) == limit:
        total = _follow_up_total(as_of)
    return Queue(items=items, total=total)


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


@cache
def _follow_ups_statement() -> CompoundSelect:
    """Entries and replies in one statement, each side ordered and limited on its own so that it walks its
    follow-up index and stops early."""
    on_outreach, on_responses = _follow_up_conditions()
    entries = (
        select(
            literal(0).label("source"),
            Outreach.follow_up_on,
            OutreachKind.name.label("what"),
            Outreach.subject,
            Outreach.id.label("outreach_id"),
            # Typed, as PostgreSQL reads a bare NULL in a subquery as text, which no UNION can match with integer.
            *(cast(null(), column.type).label(column.key) for column in (Response.person_id, *PARTY_COLUMNS)),
        )
        .join(OutreachKind, Outreach.kind_id == OutreachKind.id)
        .where(*on_outreach)
        .order_by(Outreach.follow_up_on)
        .limit(bindparam("limit"))
        .subquery()
    )
    replies = (
        select(
            literal(1).label("source"),
            Response.follow_up_on,
            literal("Reply").label("what"),
            Outreach.subject,
            Response.outreach_id,
            Response.person_id,
            *PARTY_COLUMNS,
        )
        .join(Outreach, Response.outreach_id == Outreach.id)
        .outerjoin(Person, Response.person_id == Person.id)
        .outerjoin(Organisation, Response.organisation_id == Organisation.id)
        .where(*on_responses)
        .order_by(Response.follow_up_on)
        .limit(bindparam("limit"))
        .subquery()
    )
    return union_all(select(entries), select(replies))


def follow_ups_due(*, limit: int = 50, as_of: date | None = None) -> Queue:
    """overdue_follow_ups as FollowUp lines for the dashboard."""
    as_of = as_of or today()
    rows = db.session.execute(_follow_ups_statement(), {"as_of": as_of, "limit": limit}).all()
    # Entries before replies on the same day, as overdue_follow_ups orders them.
    ordered = sorted(rows, key=lambda row: (row.follow_up_on, row.source))
    items = [
        FollowUp(row.follow_up_on, row.what, row.subject, row.outreach_id, party_name(row) if row.source else "")
        for row in ordered[:limit]
    ]
    full = max(sum(row.source == source for row in rows) for source in (0, 1)) == limit
    return Queue(items=items, total=_follow_up_total(as_of) if full else len(items))


@dataclass(slots=True)
class ReplyRow:
    """A reply as the dashboard lists it."""

    received_on: date
    outreach_id: int
    subject: str
    outcome_name: str | None
    person_id: int | None
    organisation_id: int | None
    party_name: str


@cache
def _recent_replies() -> Select:
    return (
        select(
            Response.received_on,
            Response.outreach_id,
            Outreach.subject,
            ResponseOutcome.name.label("outcome_name"),
            Response.person_id,
            Response.organisation_id,
            *PARTY_COLUMNS,
        )
        .join(Outreach, Response.outreach_id == Outreach.id)
        .outerjoin(ResponseOutcome, Response.outcome_id == ResponseOutcome.id)
        .outerjoin(Person, Response.person_id == Person.id)
        .outerjoin(Organisation, Response.organisation_id == Organisation.id)
        .order_by(Response.received_on.desc(), Response.id.desc())
        .limit(bindparam("limit"))
    )


def recent_responses(limit: int = 10) -> list[ReplyRow]:
    rows = db.session.execute(_recent_replies(), {"limit": limit})
    return [ReplyRow(*row[:6], party_name(row)) for row in rows]
