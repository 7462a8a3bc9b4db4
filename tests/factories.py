"""Builders for test data, through the real services."""

from __future__ import annotations

from datetime import date

from crm.contacts.data import EmailData, OrganisationData, PersonData, RoleData
from crm.contacts.organisations import create_organisation
from crm.contacts.people import create_person
from crm.contacts.roles import add_role
from crm.extensions import db
from crm.taxonomy.service import categories, type_by_code


def category_id(name: str) -> int:
    return next(c.id for c in categories() if c.name == name)


def make_organisation(
    name: str = "European Parliament", *, short_name: str = "", type_code: str | None = None, **fields
):
    type_id = type_by_code(type_code).id if type_code else None
    organisation = create_organisation(
        OrganisationData(name=name, short_name=short_name, type_id=type_id, **fields), actor=None
    )
    db.session.commit()
    return organisation


def make_person(
    family_name: str = "Dzhakishev", given_name: str = "Mukhtar", *, emails: tuple[str, ...] = (), **fields
):
    data = PersonData(family_name=family_name, given_name=given_name, emails=[EmailData(e) for e in emails], **fields)
    person = create_person(data, actor=None)
    db.session.commit()
    return person


def make_role(person, organisation, title: str = "Member", starts_on: date | None = None, ends_on: date | None = None):
    role = add_role(person, RoleData(organisation.id, title, starts_on, ends_on), actor=None)
    db.session.commit()
    return role
