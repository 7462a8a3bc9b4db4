"""The audit log as admins read it: filtered by staff member, record, action and date, newest first,
each entry's changes in words; the same filtered list as a spreadsheet."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, distinct, func, select
from sqlalchemy.orm import joinedload

from crm.audit.models import AuditEntry
from crm.auth.models import User
from crm.extensions import db
from crm.ids import optional_int
from crm.spreadsheets.table import DATE, NUMBER, TEXT, Column, Table
from crm.timeutil import to_utc

Describe = Callable[[str, "dict[str, Any] | None"], str]  # (action, changes) -> the changes in words
PER_PAGE = 50
SYSTEM = "system"  # the actor of entries written without a staff member (the command line, imports)
COLUMNS = (
    Column("Entry", NUMBER, 10),
    Column("At (UTC)", DATE, 20),
    Column("Staff member", TEXT, 30),
    Column("Record type", TEXT, 16),
    Column("Record id", NUMBER, 10),
    Column("Action", TEXT, 20),
    Column("Version", NUMBER, 9),
    Column("Changes", TEXT, 80),
)


@dataclass(frozen=True)
class AuditFilter:
    actor_id: int | None = None  # 0: entries without a staff member
    entity_type: str = ""
    entity_id: int | None = None
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None  # inclusive

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> AuditFilter:
        return cls(
            actor_id=optional_int(args.get("actor_id")),
            entity_type=(args.get("entity_type") or "").strip()[:30],
            entity_id=optional_int(args.get("entity_id")),
            action=(args.get("action") or "").strip()[:20],
            date_from=_day(args.get("date_from")),
            date_to=_day(args.get("date_to")),
        )

    def as_args(self) -> dict[str, str]:
        """The filter as query arguments, for the export links."""
        values = {
            "actor_id": self.actor_id,
            "entity_type": self.entity_type,
            "entity_id": self.entity_id,
            "action": self.action,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
        }
        return {name: str(value) for name, value in values.items() if value not in (None, "")}


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "").strip()) if text else None
    except ValueError:
        return None  # junk in a query string is no filter, as for ids


@dataclass
class AuditPage:
    items: list[AuditEntry]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def audit_query(filters: AuditFilter) -> Select:
    query = select(AuditEntry)
    if filters.actor_id == 0:
        query = query.where(AuditEntry.actor_id.is_(None))
    elif filters.actor_id is not None:
        query = query.where(AuditEntry.actor_id == filters.actor_id)
    if filters.entity_type:
        query = query.where(AuditEntry.entity_type == filters.entity_type)
    if filters.entity_id is not None:
        query = query.where(AuditEntry.entity_id == filters.entity_id)
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    # Days as the reader lives them (their time zone); the log keeps UTC.
    if filters.date_from:
        query = query.where(AuditEntry.at >= to_utc(datetime.combine(filters.date_from, time.min)))
    if filters.date_to:
        query = query.where(AuditEntry.at < to_utc(datetime.combine(filters.date_to + timedelta(days=1), time.min)))
    return query.order_by(AuditEntry.id.desc())  # ids grow with time: newest first, and stable


def audit_page(filters: AuditFilter, *, page: int = 1, per_page: int = PER_PAGE) -> AuditPage:
    query = audit_query(filters)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    page = min(max(page, 1), max(1, math.ceil(total / per_page)))
    items = db.session.scalars(
        query.options(joinedload(AuditEntry.actor)).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return AuditPage(list(items), total, page, per_page)


def audit_table(filters: AuditFilter, *, chunk: int = 1000, describe: Describe | None = None) -> Table:
    """The filtered entries as a sheet, read a chunk at a time: the log of a busy year is long.
    `describe` words each entry's changes (describe_changes unless the caller knows the fields' labels)."""
    return Table("Audit log", COLUMNS, _rows(filters, chunk, describe or describe_changes))


def _rows(filters: AuditFilter, chunk: int, describe: Describe) -> Iterator[tuple[Any, ...]]:
    labels = staff_labels()
    # Plain columns, a chunk at a time by id: no ORM objects piling up in the session.
    query = audit_query(filters).with_only_columns(
        AuditEntry.id,
        AuditEntry.at,
        AuditEntry.actor_id,
        AuditEntry.entity_type,
        AuditEntry.entity_id,
        AuditEntry.action,
        AuditEntry.version,
        AuditEntry.changes,
    )
    last_id = None
    while True:
        page = query if last_id is None else query.where(AuditEntry.id < last_id)
        rows = db.session.execute(page.limit(chunk)).all()
        for entry_id, at, actor_id, entity_type, entity_id, action, version, changes in rows:
            yield (
                entry_id,
                at,
                labels.get(actor_id, SYSTEM),
                entity_type,
                entity_id,
                action,
                version,
                describe(action, changes),
            )
        if len(rows) < chunk:
            return
        last_id = rows[-1][0]


def describe_changes(
    action: str,
    changes: dict[str, Any] | None,
    *,
    label: Callable[[str], str] = str,
    text: Callable[[Any, str], str] | None = None,
) -> str:
    """`field: before → after` per field, one per line, as the history card shows them; `label` and
    `text` put a field's name and its values in words (features after audit know their codes)."""
    text = text or (lambda value, field: _text(value))
    lines = []
    for field, values in sorted((changes or {}).items()):
        before, after = (values + [None, None])[:2] if isinstance(values, list) else (None, values)
        if before is None or action == "create":
            lines.append(f"{label(field)}: {text(after, field)}")
        else:
            lines.append(f"{label(field)}: {text(before, field)} → {text(after, field)}")
    return "\n".join(lines)


def _text(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list) and all(isinstance(item, str | int | float) for item in value):
        return ", ".join(str(item) for item in value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def staff_labels() -> dict[int | None, str]:
    return {user.id: user.label for user in db.session.scalars(select(User))}


def staff_choices() -> list[tuple[str, str]]:
    users = db.session.scalars(select(User).order_by(User.email)).all()
    return [("", "Anyone"), ("0", "System (no staff member)")] + [(str(user.id), user.label) for user in users]


def entity_types() -> list[str]:
    return list(db.session.scalars(select(distinct(AuditEntry.entity_type)).order_by(AuditEntry.entity_type)))


def actions() -> list[str]:
    return list(db.session.scalars(select(distinct(AuditEntry.action)).order_by(AuditEntry.action)))
