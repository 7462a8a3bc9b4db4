"""Person services: create, update, archive, restore. They flush, callers commit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from crm.audit import service as audit
from crm.auth.models import User
from crm.contacts import tracking
from crm.contacts.contact_points import clean_contact_points, replace_contact_points, snapshot_contact_points
from crm.contacts.data import EmailData, PersonData, column_limits, one_line_texts
from crm.contacts.latin_names import latin_form
from crm.contacts.models import LAWFUL_BASES, EmailAddress, Person, Role
from crm.contacts.tracking import touch
from crm.data_version import report_data_changed
from crm.errors import InvalidInput, NotFound
from crm.extensions import db
from crm.folding import search_document, sort_key
from crm.taxonomy.models import Category
from crm.taxonomy.service import resolve_tags, tag_key
from crm.values import country_name, normalise_country, normalise_languages, parse_tags
from crm.versioning import editing

# A person's own text columns; each is checked against, and cut to, its size in the model.
TEXT_FIELDS = ("honorific", "given_name", "family_name", "patronymic", "native_name", "source")
_LIMITS = column_limits(Person, TEXT_FIELDS)


# Every imported person's audit entry names their country: look each one up once.
_country_name = lru_cache(maxsize=512)(country_name)


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
    values: dict[str, Any] = one_line_texts(data, _LIMITS, errors)
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
        **{k: values[k] for k in (*TEXT_FIELDS, "country", "languages")},
        category_id=data.category_id,
        notes=(data.notes or "").strip(),
        lawful_basis=data.lawful_basis,
        tags=parse_tags(data.tags),
        do_not_contact=data.do_not_contact,
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


def person_row(data: PersonData, organisations: Iterable[tuple[str, str]] = ()) -> dict[str, Any]:
    """The values of a person's own columns for `data`: what every way of creating a person stores.

    create_person and update_person (the form, the demo, the import's updates) and the
    import's bulk writer come here, and refresh_search (the merge, a new role) shares its search
    columns, so an imported person is found, sorted and cut exactly like one made by hand.
    `data` has been checked already (clean_person_data, or the import's checks of the same
    rules); text is still cut to its column, so a row always fits. `organisations` are the
    (name, short name) of the organisations the person has roles at: either finds them. No
    query: the import calls this for each of 100 000 rows."""
    row = own_columns(data)
    row.update(_search_columns(row, [email.address for email in data.emails], organisations))
    return row


def own_columns(data: PersonData) -> dict[str, Any]:
    """person_row without the search columns: what a person's audit snapshot reads (new_snapshot)."""
    row: dict[str, Any] = {name: getattr(data, name) for name in TEXT_FIELDS}
    # A name typed only in Cyrillic: Latin in the name fields, Cyrillic in native_name.
    names = ("given_name", "patronymic", "family_name", "native_name")
    row.update(zip(names, latin_form(*(row[name] for name in names)), strict=True))
    for name in TEXT_FIELDS:
        row[name] = row[name][: _LIMITS[name]]  # a transliteration is longer: Щ is Shch
    row["country"] = data.country
    row["languages"] = ",".join(data.languages)
    row["category_id"] = data.category_id
    row["notes"] = data.notes
    row["lawful_basis"] = data.lawful_basis
    return row


def _search_columns(
    names: Mapping[str, str], emails: Iterable[str], organisations: Iterable[tuple[str, str]]
) -> dict[str, str]:
    return {
        "search_text": search_document(
            names["given_name"],
            names["patronymic"],
            names["family_name"],
            names["native_name"],
            *emails,
            # once each: a group named by its acronym has it as both names, and folding costs
            *dict.fromkeys(name for pair in organisations for name in pair if name),
        ),
        "sort_key": sort_key(names["family_name"] or names["native_name"], names["given_name"], names["patronymic"]),
    }


def _organisations(person: Person) -> list[tuple[str, str]]:
    return [
        (role.organisation.name, role.organisation.short_name) for role in person.roles if role.organisation is not None
    ]


def snapshot(person: Person) -> dict[str, Any]:
    """The audited view of a person: plain values a reader understands."""
    return _audited(
        {
            name: getattr(person, name)
            for name in (*TEXT_FIELDS, "country", "languages", "notes", "lawful_basis", "do_not_contact")
        },
        category=person.category.name if person.category else None,
        tags=[tag.name for tag in person.tags],
        contact_points=snapshot_contact_points(person),
    )


def new_snapshot(row: Mapping[str, Any], data: PersonData, *, category: str | None, tags: Iterable[str]) -> dict:
    """snapshot() of a person not written yet, from `row` (person_row(data)), the category's
    name and the tags' stored names: for the import's bulk writer, whose new people are no
    ORM objects, so that their "create" entry reads like a hand-made person's."""
    return _audited(
        row,
        category=category,
        tags=list(tags),
        contact_points=snapshot_contact_points(data),  # PersonData has the attributes it reads
    )


def _audited(
    row: Mapping[str, Any], *, category: str | None, tags: list[str], contact_points: dict[str, Any]
) -> dict[str, Any]:
    return {
        "honorific": row["honorific"],
        "given_name": row["given_name"],
        "family_name": row["family_name"],
        "patronymic": row["patronymic"],
        "native_name": row["native_name"],
        "country": _country_name(row["country"]) or None,
        "languages": row["languages"],
        "category": category,
        "notes": row["notes"],
        "source": row["source"],
        "lawful_basis": LAWFUL_BASES.get(row["lawful_basis"], row["lawful_basis"]),
        "do_not_contact": bool(row.get("do_not_contact")),
        "tags": sorted(tags, key=tag_key),  # as Person.tags load: an edit that only reorders them changes nothing
        **contact_points,
    }


def _search_values(person: Person) -> dict[str, str]:
    names = {name: getattr(person, name) for name in ("given_name", "patronymic", "family_name", "native_name")}
    return _search_columns(names, [e.address for e in person.emails], _organisations(person))


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
    report_data_changed()
    for name, value in values.items():
        set_committed_value(person, name, value)


def _apply(person: Person, data: PersonData) -> None:
    # The lookups below (category, tags) must not flush a half-applied person: one save, one version.
    with db.session.no_autoflush:
        _assign(person, data)


def _assign(person: Person, data: PersonData) -> None:
    for name, value in person_row(data, _organisations(person)).items():
        setattr(person, name, value)
    person.category = db.session.get(Category, data.category_id) if data.category_id else None
    person.tags = resolve_tags(data.tags)
    if data.do_not_contact is not None:
        person.do_not_contact = data.do_not_contact
    replace_contact_points(person, data.emails, data.phones, data.addresses)


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
    report_data_changed()
    audit.record("person", person.id, "create", audit.diff({}, snapshot(person)), actor=actor, version=person.version)
    return person


def update_person(
    person: Person, data: PersonData, *, actor: User | None, expected_version: int, allow_shared_email: bool = False
) -> Person:
    """Save an edit made on `expected_version`; a newer version in the database is a conflict."""
    with editing(person, expected_version):
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
        report_data_changed()
        audit.record("person", person.id, "update", changes, actor=actor, version=person.version)
        return person


def set_archived(person: Person, archived: bool, *, actor: User | None) -> Person:
    return tracking.set_archived(person, "person", archived, actor=actor)
