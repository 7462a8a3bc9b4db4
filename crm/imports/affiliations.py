"""Organisation and role columns → Organisation records (found or created) and dated roles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import insert, select

from crm.audit import service as audit
from crm.audit.models import AuditEntry
from crm.contacts import organisations
from crm.contacts.data import OrganisationData
from crm.contacts.models import Organisation, Role
from crm.contacts.tracking import created_columns
from crm.extensions import db
from crm.folding import plain_fold
from crm.taxonomy.models import OrganisationType
from crm.timeutil import utcnow

# field → (organisation type code, role title) for the columns that name a membership
MEMBERSHIPS = {
    "political_group": ("political_group", "Member"),
    "national_party": ("national_party", "Member"),
    "delegation": ("delegation", "Member"),
    "committees": ("committee", "Member"),
}
_TITLE_LENGTH = Role.__table__.c.title.type.length


@dataclass(frozen=True, slots=True)
class KnownOrganisation:
    """An organisation a file names, found or created; people are found by either name."""

    id: int
    name: str
    short_name: str


@dataclass(frozen=True, slots=True)
class RoleSpec:
    organisation: KnownOrganisation
    title: str
    starts_on: date | None
    ends_on: date | None

    @property
    def organisation_id(self) -> int:
        return self.organisation.id


class Affiliations:
    """Finds organisations by any of their names (folded), creating the missing ones once per file."""

    def __init__(self, *, run_id: int | None, actor_id: int | None) -> None:
        self.run_id = run_id
        self.actor_id = actor_id
        self.created = 0
        self._types = {
            code: (type_id, name)
            for type_id, code, name in db.session.execute(
                select(OrganisationType.id, OrganisationType.code, OrganisationType.name)
            )
        }
        self._by_name: dict[str, KnownOrganisation] = {}
        rows = db.session.execute(select(Organisation.id, Organisation.name, Organisation.short_name))
        for organisation_id, name, short_name in rows:
            found = KnownOrganisation(organisation_id, name, short_name)
            for key in (plain_fold(name), plain_fold(short_name)):
                if key:
                    self._by_name.setdefault(key, found)

    def find_or_create(self, name: str, type_code: str | None, country: str | None = None) -> KnownOrganisation:
        key = plain_fold(name)
        found = self._by_name.get(key)
        if found:
            return found
        name = name.strip()
        type_id, type_name = self._types.get(type_code or "", (None, None))
        data = OrganisationData(
            name=name,
            short_name=name if len(name) <= 12 else "",  # "S&D", "EPP": the group's short name too
            type_id=type_id,
            country=country if type_code == "national_party" else None,
        )
        # The organisation service's values, as for one made by hand; the tracked columns and
        # the audit entry as the service writes them too.
        row = organisations.organisation_row(data)
        now = utcnow()
        organisation_id = db.session.execute(
            insert(Organisation.__table__)
            .values(**row, **created_columns(self.actor_id, now), import_run_id=self.run_id)
            .returning(Organisation.__table__.c.id)
        ).scalar_one()
        changes = audit.diff({}, organisations.new_snapshot(row, type_name=type_name))
        entry = audit.entry_row(
            "organisation", organisation_id, "create", changes, actor_id=self.actor_id, version=1, at=now
        )
        db.session.execute(insert(AuditEntry.__table__).values(**entry))
        self.created += 1
        found = self._by_name[key] = KnownOrganisation(organisation_id, row["name"], row["short_name"])
        return found

    def roles_for(self, values: dict[str, Any]) -> list[RoleSpec]:
        """The roles a row names: its organisation column, then group, party, delegation, committees."""
        roles: list[RoleSpec] = []
        country = values.get("country")
        if values.get("organisation"):
            found = self.find_or_create(values["organisation"], values.get("organisation_type"))
            roles.append(
                RoleSpec(
                    found,
                    (values.get("role_title") or "")[:_TITLE_LENGTH],
                    values.get("role_start"),
                    values.get("role_end"),
                )
            )
        for field_key, (type_code, title) in MEMBERSHIPS.items():
            names = values.get(field_key)
            for name in names if isinstance(names, list) else [names]:
                if name:
                    roles.append(RoleSpec(self.find_or_create(name, type_code, country), title, None, None))
        return roles
