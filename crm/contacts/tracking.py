"""What people and organisations share as tracked records: who touched them, archive and restore."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from crm.audit import service as audit
from crm.auth.models import User
from crm.contacts.models import Tracked
from crm.data_version import report_data_changed
from crm.extensions import db
from crm.timeutil import utcnow


def touch(record: Tracked, actor: User | None) -> None:
    record.updated_at = utcnow()
    record.updated_by_id = actor.id if actor else None


def created_columns(actor_id: int | None, now: datetime) -> dict[str, Any]:
    """The tracked columns of a new record written without the ORM (the import's bulk INSERTs),
    as the model's defaults and touch() fill them for one made by hand."""
    return {
        "version": 1,
        "created_at": now,
        "updated_at": now,
        "created_by_id": actor_id,
        "updated_by_id": actor_id,
        "archived": False,
    }


def set_archived(record: Tracked, entity_type: str, archived: bool, *, actor: User | None) -> Tracked:
    """Archive or restore: hidden from lists, never deleted, always audited."""
    if record.archived == archived:
        return record
    record.archived = archived
    touch(record, actor)
    db.session.flush()
    report_data_changed()
    audit.record(
        entity_type,
        record.id,
        "archive" if archived else "restore",
        {"archived": [not archived, archived]},
        actor=actor,
        version=record.version,
    )
    return record
