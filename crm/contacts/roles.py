"""Dated affiliations between people and organisations; history is kept, never overwritten."""

from __future__ import annotations

from datetime import date
from typing import Any

from crm.audit import service as audit
from crm.auth.models import User
from crm.contacts.data import RoleData
from crm.contacts.models import Organisation, Person, Role
from crm.contacts.people import reindex
from crm.data_version import report_data_changed
from crm.errors import InvalidInput, NotFound
from crm.extensions import db


def _describe(role: Role) -> str:
    return describe_role(role.title, role.organisation.name, role.starts_on, role.ends_on)


def describe_role(title: str, organisation_name: str, starts_on: date | None, ends_on: date | None) -> str:
    """A role as the person's history shows it, whoever added it (staff by hand, an import)."""
    span = f"{starts_on or '…'} – {ends_on or 'now'}"
    return f"{title}, {organisation_name} ({span})" if title else f"{organisation_name} ({span})"


def _clean(data: RoleData, *, existing: Role | None = None) -> tuple[Organisation, dict[str, Any]]:
    errors: dict[str, list[str]] = {}
    organisation = db.session.get(Organisation, data.organisation_id) if data.organisation_id else None
    if organisation is None:
        errors["organisation_id"] = ["Choose an organisation from the list."]
    elif organisation.archived and (existing is None or existing.organisation_id != organisation.id):
        errors["organisation_id"] = [f"{organisation.name} is archived; restore it first."]
    title = " ".join((data.title or "").split())
    if len(title) > 200:
        errors["title"] = ["At most 200 characters."]
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        errors["ends_on"] = [f"The end date ({data.ends_on}) is before the start date ({data.starts_on})."]
    if errors:
        raise InvalidInput(errors)
    return organisation, {
        "title": title,
        "starts_on": data.starts_on,
        "ends_on": data.ends_on,
        "note": " ".join((data.note or "").split())[:300],
    }


def get_role(person: Person, role_id: int) -> Role:
    role = next((r for r in person.roles if r.id == role_id), None)
    if role is None:
        raise NotFound("That role does not belong to this person.")
    return role


def add_role(person: Person, data: RoleData, *, actor: User | None) -> Role:
    organisation, values = _clean(data)
    role = Role(person=person, organisation=organisation, **values)
    db.session.add(role)
    db.session.flush()
    report_data_changed()
    reindex(person)
    audit.record(
        "person", person.id, "add role", {"role": [None, _describe(role)]}, actor=actor, version=person.version
    )
    return role


def update_role(person: Person, role: Role, data: RoleData, *, actor: User | None) -> Role:
    organisation, values = _clean(data, existing=role)
    before = _describe(role)
    role.organisation = organisation
    for name, value in values.items():
        setattr(role, name, value)
    db.session.flush()
    report_data_changed()
    reindex(person)
    after = _describe(role)
    if before != after:
        audit.record("person", person.id, "edit role", {"role": [before, after]}, actor=actor, version=person.version)
    return role


def end_role(person: Person, role: Role, ends_on: date, *, actor: User | None) -> Role:
    """Close a role at a date: it moves to the person's history."""
    data = RoleData(role.organisation_id, role.title, role.starts_on, ends_on, role.note)
    return update_role(person, role, data, actor=actor)


def delete_role(person: Person, role: Role, *, actor: User | None) -> None:
    """For roles entered by mistake; a role that ended should be ended, not deleted."""
    description = _describe(role)
    person.roles.remove(role)
    db.session.flush()
    report_data_changed()
    reindex(person)
    audit.record("person", person.id, "delete role", {"role": [description, None]}, actor=actor, version=person.version)
