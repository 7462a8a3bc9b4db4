"""Figures for the start page."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from crm.audit.models import AuditEntry
from crm.contacts.models import Organisation, Person
from crm.extensions import db


@dataclass
class Overview:
    people: int
    organisations: int
    recent_people: list[Person]
    recent_changes: list[tuple[AuditEntry, str]]


def _label(entry: AuditEntry, people: dict[int, Person], organisations: dict[int, Organisation]) -> str:
    if entry.entity_type == "person" and entry.entity_id in people:
        return people[entry.entity_id].display_name
    if entry.entity_type == "organisation" and entry.entity_id in organisations:
        return organisations[entry.entity_id].name
    return f"{entry.entity_type} #{entry.entity_id}"


def overview() -> Overview:
    entries = list(
        db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity_type.in_(("person", "organisation")))
            .order_by(AuditEntry.id.desc())
            .limit(12)
            .options(selectinload(AuditEntry.actor))
        )
    )
    person_ids = {e.entity_id for e in entries if e.entity_type == "person"}
    organisation_ids = {e.entity_id for e in entries if e.entity_type == "organisation"}
    people = {p.id: p for p in db.session.scalars(select(Person).where(Person.id.in_(person_ids)))}
    organisations = {
        o.id: o for o in db.session.scalars(select(Organisation).where(Organisation.id.in_(organisation_ids)))
    }
    return Overview(
        people=db.session.scalar(select(func.count()).where(Person.archived.is_(False))) or 0,
        organisations=db.session.scalar(select(func.count()).where(Organisation.archived.is_(False))) or 0,
        recent_people=list(
            db.session.scalars(
                select(Person)
                .where(Person.archived.is_(False))
                .order_by(Person.created_at.desc(), Person.id.desc())
                .limit(8)
            )
        ),
        recent_changes=[(entry, _label(entry, people, organisations)) for entry in entries],
    )
