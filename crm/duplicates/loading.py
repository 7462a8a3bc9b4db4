"""People as identities for matching, read with a few bulk Core queries (no ORM objects)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.contacts.models import EmailAddress, ExternalId, Organisation, Person, Role
from crm.duplicates.score import Identity


def load_identities(session: Session, *, include_archived: bool = False) -> Iterator[Identity]:
    """Every person as an Identity, in four bulk queries (no ORM objects)."""
    people = select(
        Person.id, Person.given_name, Person.family_name, Person.patronymic, Person.native_name, Person.country
    )
    if not include_archived:
        people = people.where(Person.archived.is_(False))
    people = people.order_by(Person.id)
    emails: dict[int, list[str]] = defaultdict(list)
    for person_id, address in session.execute(
        select(EmailAddress.person_id, EmailAddress.address).where(EmailAddress.person_id.is_not(None))
    ):
        emails[person_id].append(address)
    external_ids: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for person_id, scheme, value in session.execute(select(ExternalId.person_id, ExternalId.scheme, ExternalId.value)):
        external_ids[person_id].append((scheme, value))
    organisations: dict[int, set[str]] = defaultdict(set)
    for person_id, name, short_name in session.execute(
        select(Role.person_id, Organisation.name, Organisation.short_name).join(
            Organisation, Role.organisation_id == Organisation.id
        )
    ):
        organisations[person_id].update(n for n in (name, short_name) if n)
    for row in session.execute(people):
        person_id = row[0]
        yield identity_of_row(
            row,
            emails=emails.get(person_id, ()),
            organisations=sorted(organisations.get(person_id, ())),
            external_ids=external_ids.get(person_id, ()),
        )


def identity_of_row(row, *, emails=(), organisations=(), external_ids=()) -> Identity:
    """An Identity from (id, given name, family name, patronymic, native name, country) and what is known beside."""
    person_id, given, family, patronymic, native, country = row
    return Identity(
        given_name=given or "",
        family_name=family or "",
        patronymic=patronymic or "",
        native_name=native or "",
        emails=tuple(emails),
        country=country,
        organisations=tuple(organisations),
        external_ids=tuple(external_ids),
        person_id=person_id,
    )
