"""Marking two people as different people ("not the same person") and taking it back, audited.

The duplicate list, its background scan and `crm duplicates` leave marked pairs out, so a pair
judged once is not offered again. The marking is about the pair only: both stay as they are,
and merging them is still possible.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session, aliased

from crm.audit import service as audit
from crm.auth.models import User
from crm.contacts.models import Person
from crm.contacts.people import get_person
from crm.duplicates.models import DistinctPair
from crm.errors import InvalidInput
from crm.extensions import db


def ordered(a_id: int, b_id: int) -> tuple[int, int]:
    if a_id == b_id:
        raise InvalidInput("A person cannot be marked as different from themselves.")
    return (a_id, b_id) if a_id < b_id else (b_id, a_id)


def mark_distinct(a_id: int, b_id: int, *, actor: User | None) -> bool:
    """Mark the two as different people; False if they already were."""
    low_id, high_id = ordered(a_id, b_id)
    low, high = get_person(low_id), get_person(high_id)  # NotFound for an unknown id
    if _find(low_id, high_id) is not None:
        return False
    db.session.add(DistinctPair(low_id=low_id, high_id=high_id, marked_by_id=actor.id if actor else None))
    for person, other in ((low, high), (high, low)):
        audit.record("person", person.id, "marked distinct", {"not the same as": [None, _label(other)]}, actor=actor)
    db.session.flush()
    return True


def unmark_distinct(a_id: int, b_id: int, *, actor: User | None) -> bool:
    """Take the marking back, so the pair may be offered as duplicates again; False if it was not marked."""
    low_id, high_id = ordered(a_id, b_id)
    pair = _find(low_id, high_id)
    if pair is None:
        return False
    db.session.delete(pair)
    low, high = get_person(low_id), get_person(high_id)
    for person, other in ((low, high), (high, low)):
        audit.record("person", person.id, "unmarked distinct", {"not the same as": [_label(other), None]}, actor=actor)
    db.session.flush()
    return True


def distinct_pairs(session: Session, person_ids: set[int] | None = None) -> set[tuple[int, int]]:
    """The marked pairs (low id, high id), all of them or those that include one of `person_ids`."""
    statement = select(DistinctPair.low_id, DistinctPair.high_id)
    if person_ids is not None:
        if not person_ids:
            return set()
        ids = sorted(person_ids)
        statement = statement.where(or_(DistinctPair.low_id.in_(ids), DistinctPair.high_id.in_(ids)))
    return {(low, high) for low, high in session.execute(statement)}


def forget_people(person_ids: list[int]) -> None:
    """Drop the markings of people about to be deleted (an import undone), before them, as the
    undo deletes every child row: explicitly, not left to each database's ON DELETE."""
    db.session.execute(
        delete(DistinctPair).where(or_(DistinctPair.low_id.in_(person_ids), DistinctPair.high_id.in_(person_ids)))
    )


@dataclass(frozen=True)
class MarkedPair:
    low_id: int
    high_id: int
    marked_at: datetime
    marked_by: str


def marked_pairs(limit: int) -> tuple[list[MarkedPair], int]:
    """The newest markings first, and how many there are in all."""
    marker = aliased(User)
    rows = db.session.execute(
        select(DistinctPair.low_id, DistinctPair.high_id, DistinctPair.marked_at, marker.name, marker.email)
        .outerjoin(marker, DistinctPair.marked_by_id == marker.id)
        .order_by(DistinctPair.marked_at.desc(), DistinctPair.id.desc())
        .limit(limit)
    )
    pairs = [MarkedPair(low, high, at, name or email or "") for low, high, at, name, email in rows]
    total = db.session.scalar(select(func.count()).select_from(DistinctPair)) or 0
    return pairs, total


def _find(low_id: int, high_id: int) -> DistinctPair | None:
    return db.session.scalars(
        select(DistinctPair).where(DistinctPair.low_id == low_id, DistinctPair.high_id == high_id)
    ).first()


def _label(person: Person) -> str:
    return f"#{person.id} {person.display_name}"
