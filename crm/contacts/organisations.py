"""Organisation services. They flush, callers commit."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm.audit import service as audit
from crm.auth.models import User
from crm.contacts import tracking
from crm.contacts.contact_points import clean_contact_points, replace_contact_points, snapshot_contact_points
from crm.contacts.data import OrganisationData, column_limits, one_line_texts
from crm.contacts.models import Organisation, Person, Role
from crm.contacts.people import reindex
from crm.contacts.tracking import touch
from crm.data_version import report_data_changed
from crm.errors import InvalidInput, NotFound
from crm.extensions import db
from crm.folding import search_document, sort_key
from crm.taxonomy.models import OrganisationType
from crm.taxonomy.service import resolve_tags, tag_key
from crm.values import country_name, normalise_country, normalise_url, parse_tags
from crm.versioning import editing

# An organisation's own text columns; each is checked against, and cut to, its size in the model.
TEXT_FIELDS = ("name", "short_name", "native_name", "website")
_LIMITS = column_limits(Organisation, TEXT_FIELDS)


def get_organisation(organisation_id: int) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id, options=[selectinload(Organisation.tags)])
    if organisation is None:
        raise NotFound(f"There is no organisation with id {organisation_id}.")
    return organisation


def _ancestors(organisation_id: int | None) -> set[int]:
    seen: set[int] = set()
    while organisation_id and organisation_id not in seen:
        seen.add(organisation_id)
        organisation_id = db.session.scalar(select(Organisation.parent_id).where(Organisation.id == organisation_id))
    return seen


def clean_organisation_data(data: OrganisationData, *, organisation_id: int | None = None) -> OrganisationData:
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = one_line_texts(data, _LIMITS, errors)
    if not values["name"]:
        errors.setdefault("name", []).append("A name is required.")
    try:
        values["website"] = normalise_url(values["website"], add_scheme=True) or ""
    except ValueError:
        errors.setdefault("website", []).append("A website address starts with http:// or https://.")
    try:
        values["country"] = normalise_country(data.country)
    except ValueError as error:
        errors.setdefault("country", []).append(str(error))
    if data.type_id is not None and db.session.get(OrganisationType, data.type_id) is None:
        errors.setdefault("type_id", []).append("That organisation type no longer exists.")
    if data.parent_id is not None:
        if db.session.get(Organisation, data.parent_id) is None:
            errors.setdefault("parent_id", []).append("The parent organisation does not exist.")
        elif organisation_id is not None and organisation_id in _ancestors(data.parent_id):
            errors.setdefault("parent_id", []).append("An organisation cannot sit inside itself.")
    emails, phones, addresses = clean_contact_points(data.emails, data.phones, data.addresses, errors)
    if errors:
        raise InvalidInput(errors)
    return OrganisationData(
        **values,
        type_id=data.type_id,
        parent_id=data.parent_id,
        notes=(data.notes or "").strip(),
        tags=parse_tags(data.tags),
        emails=emails,
        phones=phones,
        addresses=addresses,
    )


def organisation_row(data: OrganisationData) -> dict[str, Any]:
    """The values of an organisation's own columns for `data`, checked already: what the form
    and the import (crm.imports.affiliations) store. Text is cut to its column; no query."""
    row: dict[str, Any] = {name: getattr(data, name)[: _LIMITS[name]] for name in TEXT_FIELDS}
    row["type_id"] = data.type_id
    row["country"] = data.country
    row["parent_id"] = data.parent_id
    row["notes"] = data.notes
    row["search_text"] = search_document(
        row["name"], row["short_name"], row["native_name"], *(email.address for email in data.emails)
    )
    row["sort_key"] = sort_key(row["name"])
    return row


def snapshot(organisation: Organisation) -> dict[str, Any]:
    return _audited(
        {name: getattr(organisation, name) for name in (*TEXT_FIELDS, "country", "notes")},
        type_name=organisation.type.name if organisation.type else None,
        parent_name=organisation.parent.name if organisation.parent else None,
        tags=[tag.name for tag in organisation.tags],
        contact_points=snapshot_contact_points(organisation),
    )


def new_snapshot(row: dict[str, Any], *, type_name: str | None, parent_name: str | None = None) -> dict[str, Any]:
    """snapshot() of an organisation written from `row` (organisation_row of data without tags or
    contact points) by a writer that does not go through the ORM: the import."""
    return _audited(
        row,
        type_name=type_name,
        parent_name=parent_name,
        tags=[],
        contact_points={"emails": [], "phones": [], "addresses": []},
    )


def _audited(
    row: dict[str, Any],
    *,
    type_name: str | None,
    parent_name: str | None,
    tags: list[str],
    contact_points: dict[str, Any],
) -> dict[str, Any]:
    return {
        "name": row["name"],
        "short_name": row["short_name"],
        "native_name": row["native_name"],
        "type": type_name,
        "country": country_name(row["country"]) or None,
        "parent": parent_name,
        "website": row["website"],
        "notes": row["notes"],
        "tags": sorted(tags, key=tag_key),  # as Organisation.tags load
        **contact_points,
    }


def _apply(organisation: Organisation, data: OrganisationData) -> None:
    with db.session.no_autoflush:  # one save, one version (see people._apply)
        _assign(organisation, data)


def _assign(organisation: Organisation, data: OrganisationData) -> None:
    for name, value in organisation_row(data).items():
        setattr(organisation, name, value)
    organisation.type = db.session.get(OrganisationType, data.type_id) if data.type_id else None
    organisation.parent = db.session.get(Organisation, data.parent_id) if data.parent_id else None
    organisation.tags = resolve_tags(data.tags)
    replace_contact_points(organisation, data.emails, data.phones, data.addresses)


def _refresh_members(organisation: Organisation) -> None:
    # Members are found by the organisation's names, so a rename re-indexes them.
    members = db.session.scalars(
        select(Person)
        .join(Role, Role.person_id == Person.id)
        .where(Role.organisation_id == organisation.id)
        .options(selectinload(Person.roles).selectinload(Role.organisation), selectinload(Person.emails))
        .distinct()
    )
    for person in members:
        reindex(person)


def create_organisation(data: OrganisationData, *, actor: User | None) -> Organisation:
    data = clean_organisation_data(data)
    organisation = Organisation(created_by_id=actor.id if actor else None)
    db.session.add(organisation)
    _apply(organisation, data)
    touch(organisation, actor)
    db.session.flush()
    report_data_changed()
    audit.record(
        "organisation",
        organisation.id,
        "create",
        audit.diff({}, snapshot(organisation)),
        actor=actor,
        version=organisation.version,
    )
    return organisation


def update_organisation(
    organisation: Organisation, data: OrganisationData, *, actor: User | None, expected_version: int
) -> Organisation:
    with editing(organisation, expected_version):
        data = clean_organisation_data(data, organisation_id=organisation.id)
        before = snapshot(organisation)
        _apply(organisation, data)
        changes = audit.diff(before, snapshot(organisation))
        if not changes:
            return organisation
        touch(organisation, actor)
        db.session.flush()
        report_data_changed()
        if {"name", "short_name"} & set(changes):
            _refresh_members(organisation)
        audit.record("organisation", organisation.id, "update", changes, actor=actor, version=organisation.version)
        return organisation


def set_archived(organisation: Organisation, archived: bool, *, actor: User | None) -> Organisation:
    return tracking.set_archived(organisation, "organisation", archived, actor=actor)


def members(organisation: Organisation) -> tuple[list[Role], list[Role]]:
    """Current and past roles held at this organisation."""
    roles = db.session.scalars(
        select(Role)
        .where(Role.organisation_id == organisation.id)
        .options(selectinload(Role.person))
        .order_by(Role.starts_on.desc())
    ).all()
    current = sorted((r for r in roles if r.is_current), key=lambda r: r.person.sort_key)
    past = sorted((r for r in roles if not r.is_current), key=lambda r: (r.ends_on, r.person.sort_key), reverse=True)
    return current, past
