"""A user's selection on a list: tick, untick, select all that match, clear, count.

Each is one set-based statement, so selecting 10 000 people that match a filter is one
INSERT … SELECT from the list's own statement, not 10 000 rows through the ORM."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import Select, delete, exists, func, insert, literal, select

from crm.errors import NotFound
from crm.extensions import db
from crm.selections.kinds import KINDS, ListKind
from crm.selections.models import SelectionItem

_IN_CLAUSE = 500  # ids per statement: under every database's limit of bound values


def list_kind(name: str) -> ListKind:
    if name not in KINDS:
        raise NotFound(f"There is no list “{name}” to select on.")
    return KINDS[name]


def _not_yet(user_id: int, kind: ListKind):
    return ~exists().where(
        SelectionItem.user_id == user_id, SelectionItem.kind == kind.name, SelectionItem.item_id == kind.entity.id
    )


def _insert_from(user_id: int, kind: ListKind, ids: Select) -> int:
    """Add the records of `ids` (a statement over kind.entity) not selected yet; how many were added."""
    rows = ids.with_only_columns(literal(user_id), literal(kind.name), kind.entity.id).where(_not_yet(user_id, kind))
    # Counted before and after: psycopg reports no rowcount (-1) for an INSERT … SELECT here, and
    # RETURNING would carry 10 000 ids back only to count them.
    before = count(user_id, kind.name)
    db.session.execute(insert(SelectionItem.__table__).from_select(["user_id", "kind", "item_id"], rows))
    return count(user_id, kind.name) - before


def select_items(user_id: int, kind_name: str, ids: Iterable[int]) -> int:
    """Tick these records (those that exist); how many were not ticked before."""
    kind, ids, added = list_kind(kind_name), list(dict.fromkeys(ids)), 0
    for start in range(0, len(ids), _IN_CLAUSE):
        chunk = ids[start : start + _IN_CLAUSE]
        added += _insert_from(user_id, kind, select(kind.entity.id).where(kind.entity.id.in_(chunk)))
    return added


def unselect_items(user_id: int, kind_name: str, ids: Iterable[int]) -> None:
    ids = list(ids)
    for start in range(0, len(ids), _IN_CLAUSE):
        db.session.execute(
            delete(SelectionItem).where(
                SelectionItem.user_id == user_id,
                SelectionItem.kind == kind_name,
                SelectionItem.item_id.in_(ids[start : start + _IN_CLAUSE]),
            )
        )


def select_matching(user_id: int, kind_name: str, args: Mapping[str, str]) -> int:
    """Tick everything the list matches for these query arguments, on every page: one INSERT … SELECT."""
    kind = list_kind(kind_name)
    return _insert_from(user_id, kind, kind.matching_ids(args))


def clear(user_id: int, kind_name: str) -> None:
    db.session.execute(delete(SelectionItem).where(SelectionItem.user_id == user_id, SelectionItem.kind == kind_name))


def selected_ids(user_id: int, kind_name: str) -> Select:
    """The statement of the selected records' ids (those that still exist), for IN (…) and INSERT … SELECT."""
    kind = list_kind(kind_name)
    chosen = select(SelectionItem.item_id).where(SelectionItem.user_id == user_id, SelectionItem.kind == kind.name)
    return select(kind.entity.id).where(kind.entity.id.in_(chosen))


def count(user_id: int, kind_name: str) -> int:
    return db.session.scalar(select(func.count()).select_from(selected_ids(user_id, kind_name).subquery())) or 0


def selected_among(user_id: int, kind_name: str, ids: Iterable[int]) -> set[int]:
    """Which of these (one page of the list) are ticked."""
    ids = list(ids)
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(SelectionItem.item_id).where(
                SelectionItem.user_id == user_id, SelectionItem.kind == kind_name, SelectionItem.item_id.in_(ids)
            )
        )
    )


def selected_in_order(user_id: int, kind_name: str, limit: int) -> list[int]:
    """The selected records' ids in the list's default order (people and organisations by name)."""
    kind = list_kind(kind_name)
    statement = selected_ids(user_id, kind_name)
    if hasattr(kind.entity, "sort_key"):
        statement = statement.order_by(kind.entity.sort_key, kind.entity.id)
    else:
        statement = statement.order_by(kind.entity.id)
    return list(db.session.scalars(statement.limit(limit)))
