"""Stage 6: is this row someone we already know, or an earlier row of the same file? And what to do then.

Matching itself (scores and reasons) is crm.duplicates; this module turns its verdict and the
person's duplicate choice (fill / update / skip / create) into one action per row. An earlier
row of the file counts exactly as a person here does: certain, it is filled or updated (the
pipeline writes into what that row created); only likely, it is held back for review. A row
matching several people or rows, or one only likely, is never guessed: it is skipped with the
candidates named, and the preview lets staff decide row by row.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from crm.contacts.models import Person
from crm.duplicates.index import PeopleIndex, decide
from crm.duplicates.score import CERTAIN, Identity, Match, Profile, prepare
from crm.extensions import db
from crm.ids import optional_int
from crm.imports.results import Candidate


@dataclass
class Decision:
    action: str  # create | fill | update | skip | reject
    person: Person | None = None
    candidates: list[Candidate] = field(default_factory=list)
    reason: str = ""
    # The earlier row of this file the row is (person is then None): fill or update what that
    # row created, or skip it as that row's duplicate.
    earlier_row: int | None = None


class Matcher:
    def __init__(self, index: PeopleIndex, external_scheme: str, *, lock: bool = False) -> None:
        self.index = index
        self.external_scheme = external_scheme
        self.lock = lock
        self._last: tuple[int | None, Profile | None] = (None, None)

    @classmethod
    def load(cls, *, external_scheme: str = "", lock: bool = False) -> Matcher:
        """`lock`: whom a row fills or updates is read FOR UPDATE, so no save slips in between (PostgreSQL;
        on SQLite the import's chunk holds the one write lock already)."""
        return cls(PeopleIndex.load(db.session), external_scheme, lock=lock)

    def _person(self, person_id: int, action: str) -> Person | None:
        """The person as they are now: the index was built when the import began, and others write
        between its chunks (crm.imports.chunks); None when they were merged or deleted meanwhile."""
        if self.lock and action in ("fill", "update"):
            return db.session.get(Person, person_id, with_for_update=True, populate_existing=True)
        return db.session.get(Person, person_id)

    def identity(self, values: dict[str, Any], row: int | None = None, person_id: int | None = None) -> Identity:
        organisations = [values.get(key) for key in ("organisation", "political_group", "national_party")]
        external = external_id(values, self.external_scheme)
        return Identity(
            given_name=values.get("given_name") or "",
            family_name=values.get("family_name") or "",
            patronymic=values.get("patronymic") or "",
            native_name=values.get("native_name") or "",
            emails=tuple(values.get("email") or ()) + tuple(values.get("email_other") or ()),
            country=values.get("country"),
            organisations=tuple(name for name in organisations if name),
            external_ids=(external,) if external else (),
            person_id=person_id,
            row=row,
        )

    def decide(self, values: dict[str, Any], row: int, action: str, *, chosen: bool = False) -> Decision:
        """What to do with the row; `chosen` means a person picked `action` for this very row."""
        if values.get("id"):
            return self._by_id(values["id"], action)
        # Folded once: the same profile is matched now and, for a new person, added to the index after.
        profile = prepare(self.identity(values, row))
        self._last = (row, profile)
        verdict = decide(self.index.matches(profile))
        found = verdict.people + verdict.rows  # at LIKELY or above; people first, each best first
        candidates = [self._candidate(match) for match in found]
        if action == "create" or not found:
            return Decision("create", candidates=candidates)
        if len(found) > 1:  # several people and/or rows: staff decide, we never guess
            named = "; ".join(_describe(candidate) for candidate in candidates)
            return Decision("skip", None, candidates, f"Matches several people: {named}. {_CHOOSE}, or fix the file.")
        [match] = found
        if match.score < CERTAIN and not (chosen and action in ("fill", "update")):
            # One person or row, only likely: held back for review, as staff decide.
            may = "May be the same person as" if match.person_id is None else "May already be here:"
            return Decision("skip", None, candidates, f"{may} {_describe(candidates[0])}. {_CHOOSE}.")
        if match.person_id is None:
            if action == "skip":
                reason = f"The same person as row {match.row} of this file ({', '.join(match.reasons)})."
                return Decision("skip", None, candidates, reason, earlier_row=match.row)
            return Decision(action, None, candidates, earlier_row=match.row)
        person = self._person(match.person_id, action)
        if person is None:
            why = f"Matches #{match.person_id}, who was merged or deleted while the file was imported; import the row again."
            return Decision("skip", None, candidates, why)
        if action == "skip":
            return Decision("skip", person, candidates, f"Already here: {person.display_name} (#{person.id}).")
        return Decision(action, person, candidates)

    def _by_id(self, person_id: Any, action: str) -> Decision:
        known = optional_int(str(person_id))  # a bigger "id" than the databases hold is a typo, not a person
        person = self._person(known, "update" if action != "skip" else action) if known is not None else None
        if person is None:
            return Decision("reject", reason=f"There is no person with id {person_id} here.")
        if person.archived:
            return Decision(
                "reject", person, reason=f"{person.display_name} (#{person.id}) is archived; restore them first."
            )
        if action == "skip":
            return Decision("skip", person, reason=f"Kept as it is: {person.display_name} (#{person.id}).")
        # The row carries our own id: an edited export of that very person, so its values count.
        return Decision("update", person)

    def remember(self, values: dict[str, Any], row: int) -> None:
        """Later rows of the file are matched against this new person too."""
        self.index.add(self._profile(values, row))

    def remember_more(self, earlier_row: int, values: dict[str, Any], row: int) -> None:
        """`row` filled or updated `earlier_row`: later rows meet that row by what `row` added
        too (a name in Cyrillic, another email), and still name it once."""
        profile = copy.copy(self._profile(values, row))
        profile.row = earlier_row
        self.index.add(profile)

    def _profile(self, values: dict[str, Any], row: int) -> Profile:
        last_row, profile = self._last
        return profile if last_row == row and profile is not None else prepare(self.identity(values, row))

    def _candidate(self, match: Match) -> Candidate:
        if match.person_id is not None:
            person = db.session.get(Person, match.person_id)
            name = person.display_name if person else f"#{match.person_id}"
        else:
            name = match.row_name
        # score built `reasons` for this match alone: the candidate may keep it without a copy
        return Candidate(match.person_id, match.row, name, round(match.score, 2), match.reasons)


def external_id(values: dict[str, Any], scheme: str) -> tuple[str, str] | None:
    """(scheme, value) of the row's external id: the preset names the scheme, or the cell does ("ep:124713")."""
    value = str(values.get("external_id") or "").strip()
    if not value:
        return None
    if scheme:
        return scheme, value
    named, colon, rest = value.partition(":")
    if colon and named.isalpha() and rest.strip():
        return named.lower(), rest.strip()
    return None


_CHOOSE = "Choose in the preview"


def _describe(candidate: Candidate) -> str:
    where = f"#{candidate.person_id}" if candidate.person_id is not None else f"row {candidate.row_number} of this file"
    return f"{candidate.name} ({where}, {candidate.score:.0%}: {', '.join(candidate.reasons)})"
