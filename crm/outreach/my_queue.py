"""My queue: overdue replies and follow-ups, mine by default, filtered and sorted as GET arguments say.

An item is mine when I own its outreach entry, or when the entry has no owner and I own its campaign: an
owner named on the entry wins (a colleague's letter in my campaign is theirs to chase), and nothing in a
campaign I run falls between two chairs because nobody was named on it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    Select,
    and_,
    bindparam,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import aliased
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

# Where a queue row's record is kept: a recipient's awaiting reply, or a follow-up on an entry or a reply.
SOURCES = {"participant": Participant, "outreach": Outreach, "response": Response}
DUE_COLUMNS = {Participant: Participant.reply_due_on, Outreach: Outreach.follow_up_on, Response: Response.follow_up_on}
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
    source: str  # a key of SOURCES
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


def owned_by(entry=Outreach) -> ColumnElement[bool]:
    """The outreach entries that are :owner_id's (see the module's docstring)."""
    owner_id = bindparam("owner_id", type_=Integer)
    campaigns = select(campaign_owner.c.campaign_id).where(campaign_owner.c.user_id == owner_id)
    return or_(entry.owner_id == owner_id, and_(entry.owner_id.is_(None), entry.campaign_id.in_(campaigns)))


def due_window(column, window: str) -> list[ColumnElement[bool]]:
    """Due dates in `window`, bound as :as_of and :end_of_week."""
    as_of, end_of_week = bindparam("as_of", type_=Date), bindparam("end_of_week", type_=Date)
    return {
        "due": [column <= as_of],
        "overdue": [column < as_of],
        "today": [column == as_of],
        "week": [column <= end_of_week],
        "later": [column > end_of_week],
        "all": [column.is_not(None)],
    }[window]


def _conditions(model, by_owner: bool, by_campaign: bool, window: str, snoozed: bool) -> list:
    """What selects a queue's records of `model`. Ownership and campaign are asked of a recipient or a
    reply as "its entry is one of these" (EXISTS): the search walks the due-date index and looks up each
    row's entry, where a join, or IN over my entries, let SQLite read every reply of every entry I own
    and sort them (28 ms for a queue of eight, bench/outreach_bench.py)."""
    as_of = bindparam("as_of", type_=Date)
    until = snooze_column(model)
    conditions = [until > as_of] if snoozed else [or_(until.is_(None), until <= as_of)]
    # What is snoozed comes back on its day whatever its due date, so all of it is listed.
    conditions += due_window(DUE_COLUMNS[model], "all" if snoozed else window)
    if model is Participant:
        conditions.append(Participant.reply_state == "awaiting")
    elif model is Outreach:
        conditions.append(Outreach.status.in_(OPEN_STATUSES))
    # The rows' statements join Outreach for its subject: the EXISTS reads its own copy.
    entry = Outreach if model is Outreach else aliased(Outreach)
    on_entry = []
    if by_owner:
        on_entry.append(owned_by(entry))
    if by_campaign:
        on_entry.append(entry.campaign_id == bindparam("campaign_id", type_=Integer))
    if on_entry and model is Outreach:
        conditions += on_entry
    elif on_entry:
        conditions.append(select(entry.id).where(entry.id == model.outreach_id, *on_entry).exists())
    return conditions


def _named(column, key: str, on) -> Any:
    """A name read by its own one-row subquery rather than a join: PostgreSQL plans each alone, where with
    every name joined it weighed the orders of eight tables on each request (40 ms of planning for a
    page it then read in 0.5 ms, bench/outreach_bench.py)."""
    return select(column).where(on).scalar_subquery().label(key)


def _columns(source: str) -> tuple:
    """What a row shows, in the same columns whatever its source."""
    common = (
        Outreach.subject,
        _named(Campaign.name, "campaign_name", Campaign.id == Outreach.campaign_id),
        _named(User.name, "name", User.id == Outreach.owner_id),
        _named(User.email, "email", User.id == Outreach.owner_id),
    )
    if source == "outreach":
        return (
            Outreach.id,
            Outreach.follow_up_on.label("due_on"),
            Outreach.id.label("outreach_id"),
            OutreachKind.name.label("what"),
            # The follow-up of an entry names nobody. Typed: PostgreSQL reads a bare NULL in a UNION as text.
            *(cast(null(), Integer).label(name) for name in ("person_id", "organisation_id")),
            Outreach.follow_up_snoozed_until.label("snoozed_until"),
            *common,
            *(cast(null(), column.type).label(column.key) for column in PARTY_COLUMNS),
        )
    model = SOURCES[source]
    return (
        model.id,
        DUE_COLUMNS[model].label("due_on"),
        model.outreach_id,
        OutreachKind.name.label("what") if model is Participant else literal("Reply").label("what"),
        model.person_id,
        model.organisation_id,
        snooze_column(model).label("snoozed_until"),
        *common,
        Person.given_name,
        Person.patronymic,
        Person.family_name,
        _named(Organisation.name, "organisation_name", Organisation.id == model.organisation_id),
    )


def _rows(source: str, by_owner: bool, by_campaign: bool, window: str, snoozed: bool, newest: bool) -> Select:
    """The first :limit rows of `source`: the page's ids found first, walking the due-date index; then
    only their rows read, with the source's name and rank in the merged order."""
    model = SOURCES[source]
    due_on = DUE_COLUMNS[model]
    page = (
        select(model.id)
        .where(*_conditions(model, by_owner, by_campaign, window, snoozed))
        .order_by(due_on.desc() if newest else due_on, model.id)
        .limit(bindparam("limit"))
        .correlate(None)  # its own FROM, though the outer statement reads the same table
    )
    rank = 0 if model is Participant else 1  # on one day, awaited replies before follow-ups
    statement = select(*_columns(source), literal(source).label("source"), literal(rank).label("rank"))
    if model is not Outreach:
        statement = statement.join(Outreach, model.outreach_id == Outreach.id)
        statement = statement.outerjoin(Person, model.person_id == Person.id)
    if model is not Response:
        statement = statement.join(OutreachKind, Outreach.kind_id == OutreachKind.id)
    return statement.where(model.id.in_(page))


@cache
def _page(sources: tuple[str, ...], by_owner: bool, by_campaign: bool, window: str, snoozed: bool, newest: bool):
    """The first :limit items of all `sources` in one statement, built once per shape of filters (values
    bound at execution): each source's own first :limit, merged and cut in SQL, so that no more rows than
    are shown reach Python."""
    merged = union_all(*(_rows(source, by_owner, by_campaign, window, snoozed, newest) for source in sources))
    items = merged.subquery()
    order = (items.c.due_on, items.c.rank, items.c.id)
    return select(items).order_by(*(column.desc() for column in order) if newest else order).limit(bindparam("limit"))


@cache
def _counts(sources: tuple[str, ...], by_owner: bool, by_campaign: bool, window: str, snoozed: bool) -> Select:
    """How many records of each of `sources` the filters select, each up to :cap, in one statement: no
    joins for the names shown, and one round trip however many sources filled their page."""
    counts = []
    for source in sources:
        model = SOURCES[source]
        ids = select(model.id).where(*_conditions(model, by_owner, by_campaign, window, snoozed))
        counts.append(select(func.count()).select_from(ids.limit(bindparam("cap")).subquery()).scalar_subquery())
    return select(*counts)


def my_queue(filters: QueueFilter, *, user: User, limit: int = 100, as_of: date | None = None) -> Queue:
    """The first `limit` items the filters select, as QueueItem rows, with their total (capped)."""
    as_of = as_of or today()
    owner_id = filters.owner_id(user)
    newest = filters.order == "newest"
    shape = (owner_id is not None, bool(filters.campaign_id), filters.window, filters.snoozed)
    values = {
        "as_of": as_of,
        "end_of_week": as_of + timedelta(days=6 - as_of.weekday()),  # the coming Sunday
        "owner_id": owner_id,
        "campaign_id": filters.campaign_id,
        "limit": limit,
        "cap": COUNT_CAP + 1,
    }
    sources = ("participant",) * (filters.kind != "follow_up") + ("outreach", "response") * (filters.kind != "reply")
    items = [_item(row.source, row) for row in db.session.execute(_page(sources, *shape, newest), values)]
    total = len(items)
    if total == limit:  # there may be more: counted (no source can hold more than was read if fewer were)
        total = sum(db.session.execute(_counts(sources, *shape), values).one())
    return Queue(items=items, total=min(total, COUNT_CAP), capped=total > COUNT_CAP)


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
