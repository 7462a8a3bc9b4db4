"""Stage 6: is this row someone we already know, or an earlier row of the same file? And what to do then.

Matching itself (scores and reasons) is crm.duplicates; this module turns its verdict and the
person's duplicate choice (fill / update / skip / create) into one action per row. A row
matching several people, or one person only likely, is never guessed: it is skipped with the
candidates named, and the preview lets staff decide row by row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from crm.contacts.models import Person
from crm.duplicates.index import PeopleIndex, decide
from crm.duplicates.score import CERTAIN, Identity, Match, Profile, prepare
from crm.extensions import db
from crm.imports.results import Candidate


@dataclass
class Decision:
    action: str  # create | fill | update | skip | reject
    person: Person | None = None
    candidates: list[Candidate] = field(default_factory=list)
    reason: str = ""


MAX_ID = 2**31 - 1  # the databases' integer: a bigger "id" is a typo, not a person


class Matcher:
    def __init__(self, index: PeopleIndex, external_scheme: str) -> None:
        self.index = index
        self.external_scheme = external_scheme
        self._last: tuple[int | None, Profile | None] = (None, None)

    @classmethod
    def load(cls, *, external_scheme: str = "") -> Matcher:
        return cls(PeopleIndex.load(db.session), external_scheme)

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
        candidates = [self._candidate(match) for match in verdict.people + verdict.rows]
        earlier = [match for match in verdict.rows if match.score >= CERTAIN and match.person_id is None]
        if action == "create":
            return Decision("create", candidates=candidates)
        if earlier and not verdict.people:
            first = min(match.row for match in earlier)
            reason = f"The same person as row {first} of this file ({', '.join(earlier[0].reasons)})."
            return Decision("skip", candidates=candidates, reason=reason)
        if verdict.outcome == "new":
            return Decision("create", candidates=candidates)
        if verdict.outcome == "match":
            person = db.session.get(Person, verdict.people[0].person_id)
            if action == "skip":
                return Decision("skip", person, candidates, f"Already here: {person.display_name} (#{person.id}).")
            return Decision(action, person, candidates)
        if chosen and action in ("fill", "update") and len(verdict.people) == 1:
            return Decision(action, db.session.get(Person, verdict.people[0].person_id), candidates)
        # "review" (one person, only likely) or "ambiguous" (several): staff decide, we never guess
        named = "; ".join(_describe(candidate) for candidate in candidates if candidate.person_id)
        if verdict.outcome == "ambiguous":
            reason = f"Matches several people: {named}. Choose in the preview, or fix the file."
        else:
            reason = f"May already be here: {named}. Choose in the preview."
        return Decision("skip", None, candidates, reason)

    def _by_id(self, person_id: Any, action: str) -> Decision:
        valid = str(person_id).isdigit() and int(person_id) <= MAX_ID
        person = db.session.get(Person, int(person_id)) if valid else None
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
        last_row, profile = self._last
        if last_row != row:
            profile = prepare(self.identity(values, row))
        self.index.add(profile)

    def _candidate(self, match: Match) -> Candidate:
        if match.person_id is not None:
            person = db.session.get(Person, match.person_id)
            name = person.display_name if person else f"#{match.person_id}"
        else:
            name = match.row_name
        return Candidate(match.person_id, match.row, name, round(match.score, 2), list(match.reasons))


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


def _describe(candidate: Candidate) -> str:
    return f"{candidate.name} (#{candidate.person_id}, {candidate.score:.0%}: {', '.join(candidate.reasons)})"
