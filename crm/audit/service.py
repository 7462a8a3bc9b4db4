"""Field-by-field audit trail, written by the services in the same transaction."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import joinedload

from crm.audit.models import AuditEntry
from crm.auth.models import User
from crm.auth.service import account_changed
from crm.extensions import db
from crm.sections import Section
from crm.timeutil import utcnow


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Fields whose value changed, as {field: [before, after]}.

    On creation (`before` empty) blank fields are left out: they carry no information."""
    if not before:
        return {field: [None, value] for field, value in sorted(after.items()) if value not in (None, "", [])}
    return {
        field: [before.get(field), after.get(field)]
        for field in sorted(set(before) | set(after))
        if before.get(field) != after.get(field)
    }


def record(
    entity_type: str,
    entity_id: int,
    action: str,
    changes: dict[str, list[Any]],
    *,
    actor: User | None,
    version: int | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        **entry_row(
            entity_type, entity_id, action, changes, actor_id=actor.id if actor else None, version=version, at=utcnow()
        )
    )
    db.session.add(entry)
    return entry


def entry_row(
    entity_type: str,
    entity_id: int,
    action: str,
    changes: dict[str, list[Any]],
    *,
    actor_id: int | None,
    version: int | None,
    at: datetime,
) -> dict[str, Any]:
    """An entry as the values of its row: record() makes one of these, and writers that insert
    many records at once (the import's new people) insert many of these in one statement."""
    return {
        "at": at,
        "actor_id": actor_id,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "action": action,
        "version": version,
        "changes": changes,
    }


@cache
def _history(since_version: bool) -> Select:
    """Built once; with each entry's actor, which every history shows (one statement, not one per actor)."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.entity_type == bindparam("entity_type"), AuditEntry.entity_id == bindparam("entity_id"))
        .options(joinedload(AuditEntry.actor))
    )
    if since_version:
        query = query.where(AuditEntry.version > bindparam("since_version"))
    return query.order_by(AuditEntry.id.desc())


def history(entity_type: str, entity_id: int, *, since_version: int | None = None) -> list[AuditEntry]:
    values = {"entity_type": entity_type, "entity_id": entity_id}
    if since_version is not None:
        values["since_version"] = since_version
    return list(db.session.scalars(_history(since_version is not None), values))


@cache
def _history_page() -> Select:
    """A page of the trail, newest first, each entry with its actor and the trail's length (a window count)."""
    return (
        select(AuditEntry, func.count().over())
        .where(AuditEntry.entity_type == bindparam("entity_type"), AuditEntry.entity_id == bindparam("entity_id"))
        .options(joinedload(AuditEntry.actor))
        .order_by(AuditEntry.id.desc())
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )


@cache
def _history_count() -> Select:
    return select(func.count()).where(
        AuditEntry.entity_type == bindparam("entity_type"), AuditEntry.entity_id == bindparam("entity_id")
    )


def history_page(entity_type: str, entity_id: int, page: int, per_page: int) -> Section:
    """One page of a record's trail, newest first: what its page shows, however long the trail."""
    values = {"entity_type": entity_type, "entity_id": entity_id}
    offset = (page - 1) * per_page
    rows = db.session.execute(_history_page(), values | {"limit": per_page, "offset": offset}).all()
    total = rows[0][1] if rows else 0
    if not rows and page > 1:  # past the end: the count alone, for the link back
        total = db.session.scalar(_history_count(), values) or 0
    return Section([row[0] for row in rows], total, page, per_page)


def init_app(app) -> None:
    # Account changes are announced by auth, which comes before audit and cannot call it.
    account_changed.connect(_record_account_change)


def _record_account_change(
    user: User | None, *, action: str, changes: dict[str, list[Any]], actor: User | None
) -> None:
    record("user", user.id if user else 0, action, changes, actor=actor)  # 0: an address without an account
