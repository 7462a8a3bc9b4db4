"""Field-by-field audit trail, written by the services in the same transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from crm.audit.models import AuditEntry
from crm.auth.models import User
from crm.extensions import db


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
        entity_type=entity_type,
        entity_id=entity_id,
        action=action,
        changes=changes,
        actor_id=actor.id if actor else None,
        version=version,
    )
    db.session.add(entry)
    return entry


def history(entity_type: str, entity_id: int, *, since_version: int | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id == entity_id)
    if since_version is not None:
        query = query.where(AuditEntry.version > since_version)
    return list(db.session.scalars(query.order_by(AuditEntry.id.desc())))
