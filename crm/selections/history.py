"""The bulk actions that changed one record, for its page's history: a bulk tag or archive is one
audit entry for all its records, so the record's own trail would not otherwise show it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import joinedload

from crm.extensions import db
from crm.selections.bulk import describe
from crm.selections.models import BulkAction, BulkActionItem

SHOWN = 10  # the newest; a record is rarely in more


@dataclass(frozen=True)
class RecordActions:
    actions: list[tuple[BulkAction, str]]  # each with what it did, in words
    total: int

    def __bool__(self) -> bool:
        return bool(self.actions)


@cache
def _actions() -> Select:
    return (
        select(BulkAction, func.count().over())
        .join(BulkActionItem, BulkActionItem.action_id == BulkAction.id)
        .where(BulkActionItem.item_id == bindparam("item_id"), BulkAction.kind == bindparam("kind"))
        .options(joinedload(BulkAction.actor))
        .order_by(BulkAction.id.desc())
        .limit(SHOWN)
    )


def actions_on(kind_name: str, item_id: int) -> RecordActions:
    """The bulk actions (tag, untag, archive) that changed record `item_id` of list `kind_name`, newest first."""
    rows = db.session.execute(_actions(), {"item_id": item_id, "kind": kind_name}).all()
    return RecordActions([(action, describe(action)) for action, _ in rows], rows[0][1] if rows else 0)
