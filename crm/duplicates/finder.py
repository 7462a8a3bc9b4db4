"""Likely duplicates already in the database: every person against everyone who shares a key."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.contacts.models import Person
from crm.duplicates.distinct import distinct_pairs
from crm.duplicates.index import PeopleIndex
from crm.duplicates.score import LIKELY


@dataclass(frozen=True)
class Pair:
    """Two people (a_id < b_id) who are probably one, with the score (0-1) and its reasons."""

    a_id: int
    b_id: int
    score: float
    reasons: list[str]

    def as_json(self) -> dict:
        return {"a": self.a_id, "b": self.b_id, "score": self.score, "reasons": list(self.reasons)}


def find_duplicates(
    session: Session, *, limit: int | None = None, threshold: float = LIKELY, person_id: int | None = None
) -> list[Pair]:
    """Pairs of non-archived people scoring `threshold` or more, best first (then by ids), leaving
    out the pairs staff marked as different people.

    With `person_id`, only the pairs that include that person."""
    index = PeopleIndex.load(session)
    pairs: list[Pair] = []
    seen = distinct_pairs(session)  # as if found already
    for profile in index.profiles:
        if person_id is not None and profile.person_id != person_id:
            continue
        for match in index.matches(profile, threshold=threshold):
            # Each pair is found from both sides; people come in id order, so the first time is
            # (nearly always) from the lower id.
            low, high = sorted((profile.person_id, match.person_id))
            if (low, high) in seen:
                continue
            seen.add((low, high))
            pairs.append(Pair(low, high, match.score, match.reasons))
    pairs.sort(key=lambda pair: (-pair.score, pair.a_id, pair.b_id))
    return pairs[:limit] if limit is not None else pairs


def people_names(session: Session, person_ids: set[int]) -> dict[int, str]:
    """Display names for the people of some pairs, in one query."""
    if not person_ids:
        return {}
    rows = session.execute(
        select(Person.id, Person.given_name, Person.patronymic, Person.family_name, Person.native_name).where(
            Person.id.in_(person_ids)
        )
    )
    names = {}
    for person_id, *parts, native in rows:
        name = " ".join(part for part in parts if part) or native
        names[person_id] = f"{name} ({native})" if native and native != name else name
    return names
