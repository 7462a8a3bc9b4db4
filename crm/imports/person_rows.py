"""The table rows of people the import writes in bulk: ids handed out ahead, and what hangs off a person.

What goes in them is the contact services' data (PersonData, people.person_row); this only lays
it out as rows for a few multi-row INSERTs per chunk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text

from crm.contacts.data import PersonData
from crm.contacts.models import EmailAddress, ExternalId, PhoneNumber, PostalAddress, Role
from crm.extensions import db
from crm.imports.affiliations import RoleSpec
from crm.imports.bulk import insert_many
from crm.taxonomy.models import person_tag

# The import's checks (validate.py) keep values within these; cut anyway, so a row always fits.
_ADDRESS_LIMITS = {name: PostalAddress.__table__.c[name].type.length for name in ("street", "postcode", "city")}
EXTERNAL_ID_LIMIT = ExternalId.__table__.c.value.type.length


@dataclass
class ChildRows:
    """The rows of a chunk of people's emails, phones, addresses, tags, roles and external ids."""

    role_source: str
    run_id: int | None
    emails: list[dict[str, Any]] = field(default_factory=list)
    phones: list[dict[str, Any]] = field(default_factory=list)
    addresses: list[dict[str, Any]] = field(default_factory=list)
    tags: list[dict[str, Any]] = field(default_factory=list)
    roles: list[dict[str, Any]] = field(default_factory=list)
    external: list[dict[str, Any]] = field(default_factory=list)

    def add_contact_points(self, person_id: int, data: PersonData, tag_ids: list[int]) -> None:
        """The person's emails, phones, addresses and tags, in their order."""
        for position, email in enumerate(data.emails):  # deduplicated by merge(), as for updates
            self.emails.append(_point(person_id, position, email, address=email.address))
        for position, phone in enumerate(data.phones):
            self.phones.append(_point(person_id, position, phone, number=phone.number))
        for position, address in enumerate(data.addresses):
            cut = {name: getattr(address, name)[:limit] for name, limit in _ADDRESS_LIMITS.items()}
            self.addresses.append(_point(person_id, position, address, country=address.country, **cut))
        self.tags += [{"person_id": person_id, "tag_id": tag_id} for tag_id in tag_ids]

    def add_roles(self, person_id: int, specs: list[RoleSpec]) -> None:
        for spec in specs:
            self.roles.append(
                {
                    "person_id": person_id,
                    "organisation_id": spec.organisation_id,
                    "title": spec.title,
                    "starts_on": spec.starts_on,
                    "ends_on": spec.ends_on,
                    "note": "",
                    "source": self.role_source,
                    "import_run_id": self.run_id,
                }
            )

    def add_external_id(self, person_id: int, scheme: str, value: str) -> None:
        self.external.append({"person_id": person_id, "scheme": scheme, "value": value[:EXTERNAL_ID_LIMIT]})

    def insert(self) -> None:
        """Write them all; the people they belong to are written already."""
        for table, rows in (
            (EmailAddress.__table__, self.emails),
            (PhoneNumber.__table__, self.phones),
            (PostalAddress.__table__, self.addresses),
            (Role.__table__, self.roles),
            (ExternalId.__table__, self.external),
            (person_tag, self.tags),
        ):
            insert_many(table, rows)


def allocate_person_ids(count: int) -> list[int]:
    """Ids for `count` new people, so one multi-row INSERT can write them all.

    RETURNING in parameter order would make SQLite insert row by row. PostgreSQL hands out a
    block of its sequence; SQLite gives max(id) + 1 … once this transaction holds the write
    lock (the no-op UPDATE takes it), so no other writer can take those ids meanwhile."""
    if db.session.get_bind().dialect.name == "postgresql":
        query = text("SELECT nextval(pg_get_serial_sequence('person', 'id')) FROM generate_series(1, :count)")
        return list(db.session.scalars(query, {"count": count}))
    db.session.execute(text("UPDATE person SET id = id WHERE 0"))
    start = db.session.scalar(text("SELECT coalesce(max(id), 0) FROM person")) + 1
    return list(range(start, start + count))


def organisations_of(roles: list[RoleSpec]) -> list[tuple[str, str]]:
    """(name, short name) of the organisations of the roles: what a person row's search text holds."""
    return [(spec.organisation.name, spec.organisation.short_name) for spec in roles]


def _point(person_id: int, position: int, data: Any, **values: Any) -> dict[str, Any]:
    """The row of an email, phone or address; `data` (EmailData …) says its label and whether it is primary."""
    return {
        "person_id": person_id,
        "organisation_id": None,
        "label": data.label,
        "is_primary": data.is_primary,
        "position": position,
        **values,
    }
