"""The retention review: people we hold without a lawful basis, or have not touched for years.

"Touched" is the person's record changed, an outreach entry they are on sent or changed, or a
reply of theirs received or recorded, within the last RETENTION_YEARS (config, env
CRM_RETENTION_YEARS, default 3). Erased people are not listed; archived ones only when asked for,
as archiving keeps their data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time

from flask import Flask, current_app
from sqlalchemy import Select, exists, func, not_, or_, select

from crm.auth.models import User
from crm.contacts.models import LAWFUL_BASES, Person
from crm.contacts.people import get_person, set_archived
from crm.contacts.search import Page
from crm.display import format_day
from crm.extensions import db
from crm.outreach.models import Outreach, Participant, Response
from crm.privacy.erasure import erased_condition
from crm.spreadsheets.table import DATE, NUMBER, TEXT, Column, Table
from crm.timeutil import today

DEFAULT_YEARS = 3
COLUMNS = (
    Column("Person id", NUMBER, 10),
    Column("Name", TEXT, 36),
    Column("Lawful basis", TEXT, 22),
    Column("Last touched", DATE, 14),
    Column("Archived", TEXT, 9),
    Column("Why listed", TEXT, 50),
)


def init_app(app: Flask) -> None:
    # A test's or deployment's own value wins over the environment's.
    text = os.environ.get("CRM_RETENTION_YEARS", "").strip()
    if text and not text.isdigit():
        raise SystemExit(f"CRM_RETENTION_YEARS must be a whole number (it is {text!r}).")
    app.config.setdefault("RETENTION_YEARS", int(text) if text else DEFAULT_YEARS)


def configured_years() -> int:
    return int(current_app.config.get("RETENTION_YEARS", DEFAULT_YEARS))


@dataclass
class RetentionRow:
    person_id: int
    name: str
    lawful_basis: str  # its label, "" when none is recorded
    last_touched: date
    archived: bool
    no_basis: bool
    untouched: bool

    @property
    def why(self) -> str:
        reasons = ["no lawful basis recorded"] if self.no_basis else []
        if self.untouched:
            reasons.append(f"untouched since {format_day(self.last_touched)}")
        return "; ".join(reasons)


def cutoff(years: int, *, on: date | None = None) -> date:
    on = on or today()
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February, in a year that has none
        return on.replace(year=on.year - years, day=28)


def _conditions(since: date):
    since_time = datetime.combine(since, time.min)
    recent_outreach = exists().where(
        Participant.person_id == Person.id,
        Participant.outreach_id == Outreach.id,
        or_(Outreach.sent_on >= since, Outreach.updated_at >= since_time),
    )
    recent_reply = exists().where(
        Response.person_id == Person.id, or_(Response.received_on >= since, Response.created_at >= since_time)
    )
    untouched = (Person.updated_at < since_time) & not_(recent_outreach) & not_(recent_reply)
    no_basis = or_(Person.lawful_basis == "", Person.lawful_basis.not_in(list(LAWFUL_BASES)))
    return untouched, no_basis


def retention_query(years: int, *, include_archived: bool = False, on: date | None = None) -> Select:
    untouched, no_basis = _conditions(cutoff(years, on=on))
    last_sent = (
        select(func.max(Outreach.sent_on))
        .join(Participant, Participant.outreach_id == Outreach.id)
        .where(Participant.person_id == Person.id)
        .scalar_subquery()
    )
    last_reply = select(func.max(Response.received_on)).where(Response.person_id == Person.id).scalar_subquery()
    query = select(
        Person.id,
        Person.given_name,
        Person.patronymic,
        Person.family_name,
        Person.native_name,
        Person.lawful_basis,
        Person.updated_at,
        last_sent,
        last_reply,
        Person.archived,
        untouched,
        no_basis,
    ).where(or_(untouched, no_basis), not_(erased_condition(Person.id)))
    if not include_archived:
        query = query.where(Person.archived.is_(False))
    return query.order_by(Person.updated_at, Person.id)  # longest untouched first


def _row(values) -> RetentionRow:
    person_id, given, patronymic, family, native, basis, updated_at, last_sent, last_reply, archived, old, none = values
    touched = [updated_at.date(), *(day for day in (last_sent, last_reply) if day is not None)]
    return RetentionRow(
        person_id=person_id,
        name=" ".join(part for part in (given, patronymic, family) if part) or native,
        lawful_basis=LAWFUL_BASES.get(basis, ""),
        last_touched=max(touched),
        archived=bool(archived),
        no_basis=bool(none),
        untouched=bool(old),
    )


def retention_page(years: int, *, include_archived: bool = False, page: int = 1, per_page: int = 100) -> Page:
    query = retention_query(years, include_archived=include_archived)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    page = min(max(page, 1), max(1, -(-total // per_page)))
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page))
    return Page([_row(values) for values in rows], total, page, per_page)


def retention_rows(years: int, *, include_archived: bool = False, on: date | None = None) -> Iterator[RetentionRow]:
    for values in db.session.execute(retention_query(years, include_archived=include_archived, on=on)):
        yield _row(values)


def retention_table(years: int, *, include_archived: bool = False) -> Table:
    rows = (
        (r.person_id, r.name, r.lawful_basis, r.last_touched, "yes" if r.archived else "no", r.why)
        for r in retention_rows(years, include_archived=include_archived)
    )
    return Table("Retention review", COLUMNS, rows)


def archive_people(person_ids: list[int], *, actor: User | None) -> int:
    """Archive those not archived yet (each audited); how many were."""
    archived = 0
    for person_id in dict.fromkeys(person_ids):
        person = get_person(person_id)
        if not person.archived:
            set_archived(person, True, actor=actor)
            archived += 1
    return archived
