"""My queue: overdue replies and follow-ups, mine by default, filtered and sorted as GET arguments say.

An item is mine when I own its outreach entry, or when the entry has no owner and I own its campaign: an
owner named on the entry wins (a colleague's letter in my campaign is theirs to chase), and nothing in a
campaign I run falls between two chairs because nobody was named on it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal, null, or_, select
from werkzeug.datastructures import MultiDict

from crm.auth.models import User
from crm.campaigns.models import Campaign, campaign_owner
from crm.contacts.models import Organisation, Person
from crm.extensions import db
from crm.ids import db_int, optional_int
from crm.outreach.models import Outreach, Participant, Response
from crm.outreach.parties import PARTY_COLUMNS, party_name
from crm.outreach.queues import COUNT_CAP, OPEN_STATUSES, Queue, snooze_column
from crm.taxonomy.models import OutreachKind
from crm.timeutil import today

KINDS = {"": "Replies and follow-ups", "reply": "Awaiting a reply", "follow_up": "Follow-up due"}
WINDOWS = {
    "due": "Due now (overdue or today)",
    "overdue": "Overdue",
    "today": "Due today",
    "week": "Due by the end of this week",
    "later": "Due after this week",
    "all": "Any due date",
}
ORDERS = {"oldest": "Oldest due first", "newest": "Newest due first"}


@dataclass(frozen=True)
class QueueFilter:
    """The queue's GET arguments, each checked: anything unknown falls back to the default."""

    owner: str = "mine"  # "mine", "all", or a staff member's id
    campaign_id: int | None = None
    kind: str = ""
    window: str = "due"
    order: str = "oldest"
    snoozed: bool = False  # only what is snoozed, with the day it comes back

    @classmethod
    def from_args(cls, args: MultiDict) -> QueueFilter:
        owner = args.get("owner", "mine")
        if owner not in ("mine", "all") and optional_int(owner) is None:
            owner = "mine"
        pick = lambda name, allowed, default: args.get(name) if args.get(name) in allowed else default  # noqa: E731
        return cls(
            owner=owner,
            campaign_id=args.get("campaign_id", type=db_int),
            kind=pick("kind", KINDS, ""),
            window=pick("window", WINDOWS, "due"),
            order=pick("order", ORDERS, "oldest"),
            snoozed=args.get("snoozed") == "1",
        )

    def owner_id(self, user: User) -> int | None:
        """Whose items: None for everyone's."""
        if self.owner == "mine":
            return user.id
        return None if self.owner == "all" else optional_int(self.owner)

    def args(self, **changes: Any) -> dict[str, Any]:
        """As GET arguments for a link, defaults left out so the URL stays short."""
        changed = replace(self, **changes)
        defaults = QueueFilter()
        return {
            name: ("1" if value is True else value)
            for name, value in vars(changed).items()
            if value != getattr(defaults, name)
        }


@dataclass(slots=True)
class QueueItem:
    kind: str  # reply | follow_up
    source: str  # where its record is kept: participant | outreach | response (crm.outreach.snoozes.SOURCES)
    record_id: int
    due_on: date
    outreach_id: int
    subject: str
    what: str  # the kind of outreach ("Letter"), or "Reply" for a follow-up set on a reply
    party_name: str
    person_id: int | None
    organisation_id: int | None
    campaign_name: str | None
    owner_label: str | None
    snoozed_until: date | None

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]


def owned_by(user_id: int) -> ColumnElement[bool]:
    """The outreach entries that are `user_id`'s (see the module's docstring)."""
    campaigns = select(campaign_owner.c.campaign_id).where(campaign_owner.c.user_id == user_id)
    return or_(Outreach.owner_id == user_id, and_(Outreach.owner_id.is_(None), Outreach.campaign_id.in_(campaigns)))


def due_window(column, window: str, as_of: date) -> list[ColumnElement[bool]]:
    end_of_week = as_of + timedelta(days=6 - as_of.weekday())  # the coming Sunday
    return {
        "due": [column <= as_of],
        "overdue": [column < as_of],
        "today": [column == as_of],
        "week": [column <= end_of_week],
        "later": [column > end_of_week],
        "all": [column.is_not(None)],
    }[window]


def _conditions(model, due_column, filters: QueueFilter, owner_id: int | None, as_of: date) -> list:
    snoozed = snooze_column(model)
    conditions = [snoozed > as_of] if filters.snoozed else [or_(snoozed.is_(None), snoozed <= as_of)]
    # What is snoozed comes back on its day whatever its due date, so all of it is listed.
    conditions += due_window(due_column, "all" if filters.snoozed else filters.window, as_of)
    if owner_id is not None:
        conditions.append(owned_by(owner_id))
    if filters.campaign_id:
        conditions.append(Outreach.campaign_id == filters.campaign_id)
    return conditions


def _statements(filters: QueueFilter, owner_id: int | None, as_of: date) -> list[tuple[str, Select]]:
    """One statement per kind of record the filters ask for, each selecting the same columns."""
    common = (Outreach.subject, Campaign.name.label("campaign_name"), User.name, User.email)
    statements = []
    if filters.kind in ("", "reply"):
        replies = (
            select(
                Participant.id,
                Participant.reply_due_on.label("due_on"),
                Participant.outreach_id,
                OutreachKind.name.label("what"),
                Participant.person_id,
                Participant.organisation_id,
                Participant.snoozed_until.label("snoozed_until"),
                *common,
                *PARTY_COLUMNS,
            )
            .join(Outreach, Participant.outreach_id == Outreach.id)
            .join(OutreachKind, Outreach.kind_id == OutreachKind.id)
            .outerjoin(Person, Participant.person_id == Person.id)
            .outerjoin(Organisation, Participant.organisation_id == Organisation.id)
            .where(
                Participant.reply_state == "awaiting",
                *_conditions(Participant, Participant.reply_due_on, filters, owner_id, as_of),
            )
        )
        statements.append(("participant", replies))
    if filters.kind in ("", "follow_up"):
        entries = (
            select(
                Outreach.id,
                Outreach.follow_up_on.label("due_on"),
                Outreach.id.label("outreach_id"),
                OutreachKind.name.label("what"),
                # The follow-up of an entry names nobody.
                *(null().label(name) for name in ("person_id", "organisation_id")),
                Outreach.follow_up_snoozed_until.label("snoozed_until"),
                *common,
                *(null().label(column.key) for column in PARTY_COLUMNS),
            )
            .join(OutreachKind, Outreach.kind_id == OutreachKind.id)
            .where(
                Outreach.status.in_(OPEN_STATUSES),
                *_conditions(Outreach, Outreach.follow_up_on, filters, owner_id, as_of),
            )
        )
        on_replies = (
            select(
                Response.id,
                Response.follow_up_on.label("due_on"),
                Response.outreach_id,
                literal("Reply").label("what"),
                Response.person_id,
                Response.organisation_id,
                Response.follow_up_snoozed_until.label("snoozed_until"),
                *common,
                *PARTY_COLUMNS,
            )
            .join(Outreach, Response.outreach_id == Outreach.id)
            .outerjoin(Person, Response.person_id == Person.id)
            .outerjoin(Organisation, Response.organisation_id == Organisation.id)
            .where(*_conditions(Response, Response.follow_up_on, filters, owner_id, as_of))
        )
        statements += [("outreach", entries), ("response", on_replies)]
    return [
        (
            source,
            statement.outerjoin(Campaign, Outreach.campaign_id == Campaign.id).outerjoin(
                User, Outreach.owner_id == User.id
            ),
        )
        for source, statement in statements
    ]


def my_queue(filters: QueueFilter, *, user: User, limit: int = 100, as_of: date | None = None) -> Queue:
    """The first `limit` items the filters select, as QueueItem rows, with their total (capped)."""
    as_of = as_of or today()
    owner_id = filters.owner_id(user)
    newest = filters.order == "newest"
    items: list[QueueItem] = []
    total = 0
    for source, statement in _statements(filters, owner_id, as_of):
        due_on = statement.selected_columns.due_on
        ordered = statement.order_by(due_on.desc() if newest else due_on, statement.selected_columns[0])
        for row in db.session.execute(ordered.limit(limit)):
            items.append(_item(source, row))
        counted = select(func.count()).select_from(statement.limit(COUNT_CAP + 1).subquery())
        total += db.session.scalar(counted) or 0
    items.sort(key=lambda item: (item.due_on, item.source != "participant", item.record_id), reverse=newest)
    return Queue(items=items[:limit], total=min(total, COUNT_CAP), capped=total > COUNT_CAP)


def _item(source: str, row: Any) -> QueueItem:
    return QueueItem(
        kind="reply" if source == "participant" else "follow_up",
        source=source,
        record_id=row.id,
        due_on=row.due_on,
        outreach_id=row.outreach_id,
        subject=row.subject,
        what=row.what,
        party_name=party_name(row) if row.person_id or row.organisation_id else "",
        person_id=row.person_id,
        organisation_id=row.organisation_id,
        campaign_name=row.campaign_name,
        owner_label=(row.name or row.email) if row.email else None,  # User.label
        snoozed_until=row.snoozed_until,
    )
