"""Organisation and role columns → Organisation records (found or created) and dated roles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import insert, select

from crm.contacts.models import Organisation
from crm.extensions import db
from crm.folding import plain_fold, search_document, sort_key
from crm.taxonomy.models import OrganisationType
from crm.timeutil import utcnow

# field → (organisation type code, role title) for the columns that name a membership
MEMBERSHIPS = {
    "political_group": ("political_group", "Member"),
    "national_party": ("national_party", "Member"),
    "delegation": ("delegation", "Member"),
    "committees": ("committee", "Member"),
}


@dataclass(frozen=True, slots=True)
class RoleSpec:
    organisation_id: int
    organisation_name: str
    title: str
    starts_on: date | None
    ends_on: date | None


class Affiliations:
    """Finds organisations by any of their names (folded), creating the missing ones once per file."""

    def __init__(self, *, run_id: int | None, actor_id: int | None) -> None:
        self.run_id = run_id
        self.actor_id = actor_id
        self.created = 0
        self._types = {
            code: type_id for type_id, code in db.session.execute(select(OrganisationType.id, OrganisationType.code))
        }
        self._by_name: dict[str, tuple[int, str]] = {}
        rows = db.session.execute(select(Organisation.id, Organisation.name, Organisation.short_name))
        for organisation_id, name, short_name in rows:
            for key in (plain_fold(name), plain_fold(short_name)):
                if key:
                    self._by_name.setdefault(key, (organisation_id, name))

    def find_or_create(self, name: str, type_code: str | None, country: str | None = None) -> tuple[int, str]:
        key = plain_fold(name)
        found = self._by_name.get(key)
        if found:
            return found
        now = utcnow()
        name = name.strip()[:200]
        short_name = name if len(name) <= 12 else ""  # "S&D", "EPP": the group's short name too
        organisation_id = db.session.execute(
            insert(Organisation.__table__)
            .values(
                name=name,
                short_name=short_name,
                native_name="",
                type_id=self._types.get(type_code or ""),
                country=country if type_code == "national_party" else None,
                website="",
                notes="",
                version=1,
                created_at=now,
                updated_at=now,
                created_by_id=self.actor_id,
                updated_by_id=self.actor_id,
                archived=False,
                search_text=search_document(name, short_name),
                sort_key=sort_key(name),
                import_run_id=self.run_id,
            )
            .returning(Organisation.__table__.c.id)
        ).scalar_one()
        self.created += 1
        self._by_name[key] = (organisation_id, name)
        return organisation_id, name

    def roles_for(self, values: dict[str, Any]) -> list[RoleSpec]:
        """The roles a row names: its organisation column, then group, party, delegation, committees."""
        roles: list[RoleSpec] = []
        country = values.get("country")
        if values.get("organisation"):
            organisation_id, name = self.find_or_create(values["organisation"], values.get("organisation_type"))
            roles.append(
                RoleSpec(
                    organisation_id,
                    name,
                    (values.get("role_title") or "")[:200],
                    values.get("role_start"),
                    values.get("role_end"),
                )
            )
        for field_key, (type_code, title) in MEMBERSHIPS.items():
            names = values.get(field_key)
            for name in names if isinstance(names, list) else [names]:
                if name:
                    organisation_id, found_name = self.find_or_create(name, type_code, country)
                    roles.append(RoleSpec(organisation_id, found_name, title, None, None))
        return roles
