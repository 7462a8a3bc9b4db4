"""Who a person being added by hand may already be: the import's matcher, asked about one form.

The import loads everyone into a PeopleIndex; a form cannot wait for that. A new person has no
roles and no external ids yet, and `score` only counts organisations and ids that both sides
have, so only the name, the country and the emails can tell. Only the people who share a name
word with the form are loaded (through the folded search text, one query), indexed, and matched
and decided as the import would.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import joinedload, selectinload

from crm.contacts.data import PersonData
from crm.contacts.models import EmailAddress, Person, Role
from crm.contacts.people import clean_person_data
from crm.duplicates.index import PeopleIndex, decide
from crm.duplicates.loading import identity_of_row
from crm.duplicates.names import fold_word
from crm.duplicates.score import CERTAIN, Identity, Profile, prepare
from crm.extensions import db
from crm.folding import plain_fold, sound_fold

MAX_SHOWN = 10  # a form is no duplicate list; ruling these out shows the next ones, if any
_WORD = re.compile(r"[a-z0-9]+")
_SHORT = 3  # words this long or shorter are matched whole, and only if they are name words


@dataclass(frozen=True)
class Lookalike:
    """Someone already here whom the person being added may be, with how likely and why."""

    person: Person
    score: float
    reasons: tuple[str, ...]

    @property
    def verdict(self) -> str:
        return "Almost certainly the same person" if self.score >= CERTAIN else "Probably the same person"

    @property
    def explanation(self) -> str:
        # "; " between reasons: a reason may hold a comma ("same name, spelt differently").
        return f"{self.verdict} ({self.score:.0%}): {'; '.join(self.reasons)}."


def likely_matches(data: PersonData, *, ruled_out: Collection[int] = (), limit: int = MAX_SHOWN) -> list[Lookalike]:
    """The people `data` is likely or certainly already, best first, as the import would find
    them; leaving out archived people and `ruled_out` (those staff said this is not).

    Raises InvalidInput as create_person would: a form shows its errors before any warning."""
    data = clean_person_data(data)
    identity = Identity(
        given_name=data.given_name,
        family_name=data.family_name,
        patronymic=data.patronymic,
        native_name=data.native_name,
        emails=tuple(email.address for email in data.emails),
        country=data.country,
    )
    profile = prepare(identity)
    index = PeopleIndex()
    for candidate in _candidates(identity, profile):
        if candidate.person_id not in ruled_out:
            index.add(candidate)
    best = decide(index.matches(profile)).people[:limit]
    people = _people([match.person_id for match in best])
    return [
        Lookalike(people[match.person_id], match.score, tuple(match.reasons))
        for match in best
        if match.person_id in people
    ]


def _candidates(identity: Identity, profile: Profile) -> list[Identity]:
    """Live people sharing a name word with `identity`, with the emails they share with it."""
    condition = _shares_a_name_word(identity, profile)
    if condition is None:
        return []
    query = select(
        Person.id, Person.given_name, Person.family_name, Person.patronymic, Person.native_name, Person.country
    ).where(Person.archived.is_(False), condition)
    if identity.country:
        # Another country keeps a name spelt otherwise below LIKELY, so the index never meets
        # them by it (index.PeopleIndex._block); a shared email or the very same name still may.
        may_match = or_(Person.country.is_(None), Person.country == identity.country)
        if (same_name := _has_every_name_word(identity)) is not None:
            may_match = or_(may_match, same_name)
        if identity.emails:
            shared = select(EmailAddress.person_id).where(EmailAddress.address.in_(identity.emails))
            may_match = or_(may_match, Person.id.in_(shared))
        query = query.where(may_match)
    rows = db.session.execute(query).all()
    # The other side's own addresses only ever count when the form has them too.
    emails: dict[int, list[str]] = defaultdict(list)
    if identity.emails and rows:
        for person_id, address in db.session.execute(
            select(EmailAddress.person_id, EmailAddress.address).where(
                EmailAddress.address.in_(identity.emails), EmailAddress.person_id.is_not(None)
            )
        ):
            emails[person_id].append(address)
    return [identity_of_row(row, emails=emails.get(row[0], ())) for row in rows]


def _shares_a_name_word(identity: Identity, profile: Profile) -> ColumnElement[bool] | None:
    """People whose search text has a word of the name, as written or as it sounds.

    The search text is " word word " (crm.folding.search_document), in both folds: Djakishev
    meets Dzhakishev through "djakishev", Джакишев through "dzhakishev". Words are matched
    whole (Mikhail, not every Mikhailovich), but for a family name of more than three letters,
    matched by its start (Delvaux meets "delvaux-stehres", Dzhakishev "dzhakisheva"). Sharing
    a given name finds a family name misspelt beyond its folds. A short word counts only if the
    matcher keeps it as a name word: "de" and "van" would load half the database."""
    tokens = {word for tokens, *_ in profile.forms for word, _ in tokens}
    patterns = set()
    parts = (identity.given_name, identity.patronymic, identity.family_name, identity.native_name)
    for part, by_start in zip(parts, (False, False, True, False), strict=True):
        for word in _WORD.findall(f"{plain_fold(part)} {sound_fold(part)}"):
            if len(word) <= _SHORT and fold_word(word) not in tokens:
                continue
            patterns.add(f"% {word}%" if by_start and len(word) > _SHORT else f"% {word} %")
    # _WORD leaves no LIKE wildcard ("%", "_") in a word: nothing to escape.
    return or_(*(Person.search_text.like(pattern) for pattern in sorted(patterns))) if patterns else None


def _has_every_name_word(identity: Identity) -> ColumnElement[bool] | None:
    """People whose search text has every word of the given and family names: namesakes abroad."""
    words = _WORD.findall(plain_fold(f"{identity.given_name} {identity.family_name}"))
    if len(words) < 2:
        return None
    return and_(*(Person.search_text.like(f"% {word} %") for word in sorted(set(words))))


def _people(person_ids: list[int]) -> dict[int, Person]:
    """The people to show, with what tells namesakes apart (roles, category), in two queries."""
    if not person_ids:
        return {}
    people = db.session.scalars(
        select(Person)
        .where(Person.id.in_(person_ids))
        .options(selectinload(Person.roles).joinedload(Role.organisation), joinedload(Person.category))
    )
    return {person.id: person for person in people}
