"""Load the demo contacts through the contact services. Flushes only: the caller commits.

Safe to run again: organisations are found by name, people by (family name, given name) and roles by
(organisation, title, start date), so a second run adds nothing and a partly loaded database is completed.
"""

from __future__ import annotations

from sqlalchemy import select

from crm.contacts.data import EmailData, OrganisationData, PersonData, RoleData
from crm.contacts.models import Organisation, Person
from crm.contacts.organisations import create_organisation
from crm.contacts.people import create_person
from crm.contacts.roles import add_role
from crm.demo.data import ORGANISATIONS, PEOPLE, SOURCE, TAG, DemoOrganisation, DemoPerson, DemoRole
from crm.extensions import db
from crm.taxonomy import service as taxonomy


def load_demo() -> dict[str, int]:
    """Add the missing demo organisations, people and roles; return how many of each were added."""
    taxonomy.ensure_defaults()
    organisations, organisations_added = _load_organisations()
    # Demo data names the built-in categories; resolve them by code so a renamed one still matches.
    codes = dict(taxonomy.DEFAULT_CATEGORIES)
    by_code = {category.code: category.id for category in taxonomy.categories() if category.code}
    category_ids = {name: by_code[code] for name, code in codes.items() if code in by_code}
    people_added = roles_added = 0
    for demo in PEOPLE:
        person = _find_person(demo)
        if person is None:
            person = create_person(_person_data(demo, category_ids), actor=None)
            people_added += 1
        roles_added += _add_missing_roles(person, demo.roles, organisations)
    return {"organisations added": organisations_added, "people added": people_added, "roles added": roles_added}


def _load_organisations() -> tuple[dict[str, Organisation], int]:
    by_name: dict[str, Organisation] = {}
    added = 0
    for demo in ORGANISATIONS:
        organisation = db.session.scalar(
            select(Organisation).where(Organisation.name == demo.name).order_by(Organisation.id).limit(1)
        )
        if organisation is None:
            organisation = create_organisation(_organisation_data(demo, by_name), actor=None)
            added += 1
        by_name[demo.name] = organisation
    return by_name, added


def _organisation_data(demo: DemoOrganisation, by_name: dict[str, Organisation]) -> OrganisationData:
    organisation_type = taxonomy.type_by_code(demo.type_code)
    return OrganisationData(
        name=demo.name,
        short_name=demo.short_name,
        native_name=demo.native_name,
        type_id=organisation_type.id if organisation_type else None,
        country=demo.country,
        # A parent is always listed before its children, so it is already in by_name.
        parent_id=by_name[demo.parent].id if demo.parent else None,
        website=demo.website,
        notes=demo.notes,
    )


def _find_person(demo: DemoPerson) -> Person | None:
    return db.session.scalar(
        select(Person)
        .where(Person.family_name == demo.family_name, Person.given_name == demo.given_name)
        .order_by(Person.id)
        .limit(1)
    )


def _person_data(demo: DemoPerson, category_ids: dict[str, int]) -> PersonData:
    return PersonData(
        family_name=demo.family_name,
        given_name=demo.given_name,
        patronymic=demo.patronymic,
        native_name=demo.native_name,
        country=demo.country,
        # ensure_defaults() has just added any default category that was missing.
        category_id=category_ids[demo.category] if demo.category else None,
        notes=demo.notes,
        source=SOURCE,
        tags=[TAG],
        emails=[EmailData(address, is_primary=position == 0) for position, address in enumerate(demo.emails)],
    )


def _add_missing_roles(person: Person, roles: tuple[DemoRole, ...], organisations: dict[str, Organisation]) -> int:
    added = 0
    for demo in roles:
        organisation = organisations[demo.organisation]
        held = any(
            role.organisation_id == organisation.id and role.title == demo.title and role.starts_on == demo.starts_on
            for role in person.roles
        )
        if held:
            continue
        data = RoleData(organisation.id, demo.title, demo.starts_on, demo.ends_on, demo.note)
        add_role(person, data, actor=None)
        added += 1
    return added
