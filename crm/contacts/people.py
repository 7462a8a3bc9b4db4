"""Person services: create, update, archive, restore. They flush, callers commit."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from crm.audit import service as audit
from crm.auth.models import User
from crm.contacts import tracking
from crm.contacts.contact_points import clean_contact_points, replace_contact_points, snapshot_contact_points
from crm.contacts.data import EmailData, PersonData
from crm.contacts.models import LAWFUL_BASES, EmailAddress, Person, Role
from crm.contacts.tracking import touch
from crm.contacts.values import country_name, normalise_country, normalise_languages, parse_tags
from crm.errors import EditConflict, InvalidInput, NotFound
from crm.extensions import db
from crm.folding import search_document, sort_key
from crm.taxonomy.models import Category
from crm.taxonomy.service import resolve_tags

_TEXT_LIMITS = {
    "honorific": 40,
    "given_name": 100,
    "family_name": 100,
    "patronymic": 100,
    "native_name": 200,
    "source": 200,
}


class SharedEmail(InvalidInput):
    """An email already belongs to someone else: shown to the user, who may confirm."""

    def __init__(self, owners: dict[str, list[Person]], submitted: list[EmailData]) -> None:
        self.owners = owners
        errors: dict[str, list[str]] = {}
        # Keyed by the submitted row, so a form shows the message beside the address.
        for index, email in enumerate(submitted):
            address = "".join((email.address or "").split()).lower()
            if address in owners:
                names = ", ".join(p.display_name for p in owners[address])
                errors[f"emails-{index}-address"] = [f"{address} already belongs to {names}."]
        super().__init__(errors)


def get_person(person_id: int) -> Person:
    person = db.session.get(
        Person,
        person_id,
        options=[selectinload(Person.roles).selectinload(Role.organisation), selectinload(Person.tags)],
    )
    if person is None:
        raise NotFound(f"There is no person with id {person_id}.")
    return person


def clean_person_data(data: PersonData) -> PersonData:
    """Normalise every field, or raise InvalidInput naming each bad field at once."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for name, limit in _TEXT_LIMITS.items():
        value = " ".join((getattr(data, name) or "").split())
        if len(value) > limit:
            errors.setdefault(name, []).append(f"At most {limit} characters.")
        values[name] = value
    if not values["family_name"] and not values["native_name"]:
        errors.setdefault("family_name", []).append("A family name (or the name in its native script) is required.")
    try:
        values["country"] = normalise_country(data.country)
    except ValueError as error:
        errors.setdefault("country", []).append(str(error))
    try:
        values["languages"] = normalise_languages(data.languages)
    except ValueError as error:
        errors.setdefault("languages", []).append(str(error))
    if data.lawful_basis not in LAWFUL_BASES:
        errors.setdefault("lawful_basis", []).append("Choose one of the GDPR lawful bases.")
    if data.category_id is not None and db.session.get(Category, data.category_id) is None:
        errors.setdefault("category_id", []).append("That category no longer exists.")
    emails, phones, addresses = clean_contact_points(data.emails, data.phones, data.addresses, errors)
    if errors:
        raise InvalidInput(errors)
    return PersonData(
        **{k: values[k] for k in (*_TEXT_LIMITS, "country", "languages")},
        category_id=data.category_id,
        notes=(data.notes or "").strip(),
        lawful_basis=data.lawful_basis,
        tags=parse_tags(data.tags),
        emails=emails,
        phones=phones,
        addresses=addresses,
    )


def email_owners(addresses: list[str], *, exclude_person_id: int | None = None) -> dict[str, list[Person]]:
    """Other people who already have one of these addresses."""
    if not addresses:
        return {}
    query = (
        select(EmailAddress.address, Person)
        .join(Person, EmailAddress.person_id == Person.id)
        .where(EmailAddress.address.in_(addresses))
    )
    if exclude_person_id is not None:
        query = query.where(Person.id != exclude_person_id)
    owners: dict[str, list[Person]] = {}
    for address, person in db.session.execute(query):
        owners.setdefault(address, []).append(person)
    return owners


def snapshot(person: Person) -> dict[str, Any]:
    """The audited view of a person: plain values a reader understands."""
    return {
        "honorific": person.honorific,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "patronymic": person.patronymic,
        "native_name": person.native_name,
        "country": country_name(person.country) or None,
        "languages": person.languages,
        "category": person.category.name if person.category else None,
        "notes": person.notes,
        "source": person.source,
        "lawful_basis": LAWFUL_BASES.get(person.lawful_basis, person.lawful_basis),
        "tags": [tag.name for tag in person.tags],
        **snapshot_contact_points(person),
    }


def _search_values(person: Person) -> dict[str, str]:
    organisations = []
    for role in person.roles:
        if role.organisation is not None:
            organisations += [role.organisation.name, role.organisation.short_name]
    return {
        "search_text": search_document(
            person.given_name,
            person.patronymic,
            person.family_name,
            person.native_name,
            *(e.address for e in person.emails),
            *organisations,
        ),
        "sort_key": sort_key(person.family_name or person.native_name, person.given_name, person.patronymic),
    }


def refresh_search(person: Person) -> None:
    """Recompute the search columns as part of an edit of the person."""
    for name, value in _search_values(person).items():
        setattr(person, name, value)


def reindex(person: Person) -> None:
    """Recompute the search columns after a change elsewhere (a role, an organisation's name).

    Written with a plain UPDATE so the person's version stays: someone editing
    the person's own fields at the same time has no conflict with it."""
    values = _search_values(person)
    if person.id is None or all(getattr(person, name) == value for name, value in values.items()):
        return
    db.session.execute(update(Person.__table__).where(Person.__table__.c.id == person.id).values(**values))
    for name, value in values.items():
        set_committed_value(person, name, value)


def _apply(person: Person, data: PersonData) -> None:
    # The lookups below (category, tags) must not flush a half-applied person: one save, one version.
    with db.session.no_autoflush:
        _assign(person, data)


def _assign(person: Person, data: PersonData) -> None:
    for name in _TEXT_LIMITS:
        setattr(person, name, getattr(data, name))
    person.country = data.country
    person.languages = ",".join(data.languages)
    person.category_id = data.category_id
    person.category = db.session.get(Category, data.category_id) if data.category_id else None
    person.notes = data.notes
    person.lawful_basis = data.lawful_basis
    person.tags = resolve_tags(data.tags)
    replace_contact_points(person, data.emails, data.phones, data.addresses)
    refresh_search(person)


def create_person(data: PersonData, *, actor: User | None, allow_shared_email: bool = False) -> Person:
    submitted, data = data.emails, clean_person_data(data)
    owners = email_owners([e.address for e in data.emails])
    if owners and not allow_shared_email:
        raise SharedEmail(owners, submitted)
    person = Person(created_by_id=actor.id if actor else None, roles=[])
    db.session.add(person)
    _apply(person, data)
    touch(person, actor)
    db.session.flush()
    audit.record("person", person.id, "create", audit.diff({}, snapshot(person)), actor=actor, version=person.version)
    return person


def update_person(
    person: Person, data: PersonData, *, actor: User | None, expected_version: int, allow_shared_email: bool = False
) -> Person:
    """Save an edit made on `expected_version`; a newer version in the database is a conflict."""
    if person.version != expected_version:
        raise EditConflict(person, expected_version)
    submitted, data = data.emails, clean_person_data(data)
    owners = email_owners([e.address for e in data.emails], exclude_person_id=person.id)
    # Only addresses added in this edit are flagged; a shared address accepted earlier stays accepted.
    new_owners = {a: p for a, p in owners.items() if a not in {e.address for e in person.emails}}
    if new_owners and not allow_shared_email:
        raise SharedEmail(new_owners, submitted)
    before = snapshot(person)
    _apply(person, data)
    changes = audit.diff(before, snapshot(person))
    if not changes:
        return person  # nothing to save: version and timestamps stay
    touch(person, actor)
    db.session.flush()
    audit.record("person", person.id, "update", changes, actor=actor, version=person.version)
    return person


def set_archived(person: Person, archived: bool, *, actor: User | None) -> Person:
    return tracking.set_archived(person, "person", archived, actor=actor)
