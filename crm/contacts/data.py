"""Plain input records for the contact services (forms, CLI and import build these)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass
class EmailData:
    address: str
    label: str = ""
    is_primary: bool = False


@dataclass
class PhoneData:
    number: str
    label: str = ""
    is_primary: bool = False


@dataclass
class AddressData:
    street: str = ""
    postcode: str = ""
    city: str = ""
    country: str | None = None
    label: str = ""
    is_primary: bool = False

    @property
    def one_line(self) -> str:
        return address_line(self.street, self.postcode, self.city, self.country)


def address_line(street: str, postcode: str, city: str, country: str | None) -> str:
    """ "Rue de la Loi 200, 1049 Brussels, BE": an address as pages and the audit trail show it."""
    parts = [street, " ".join(p for p in (postcode, city) if p), country or ""]
    return ", ".join(part for part in parts if part)


@dataclass
class PersonData:
    family_name: str
    given_name: str = ""
    patronymic: str = ""
    honorific: str = ""
    native_name: str = ""
    country: str | None = None
    languages: list[str] = field(default_factory=list)
    category_id: int | None = None
    notes: str = ""
    source: str = ""
    lawful_basis: str = "legitimate_interests"
    tags: list[str] = field(default_factory=list)
    # None: leave the flag as it is (an import, which has no such column, never clears it).
    do_not_contact: bool | None = None
    emails: list[EmailData] = field(default_factory=list)
    phones: list[PhoneData] = field(default_factory=list)
    addresses: list[AddressData] = field(default_factory=list)


@dataclass
class OrganisationData:
    name: str
    short_name: str = ""
    native_name: str = ""
    type_id: int | None = None
    country: str | None = None
    parent_id: int | None = None
    website: str = ""
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    emails: list[EmailData] = field(default_factory=list)
    phones: list[PhoneData] = field(default_factory=list)
    addresses: list[AddressData] = field(default_factory=list)


@dataclass
class RoleData:
    organisation_id: int
    title: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    note: str = ""


def column_limits(model: Any, names: tuple[str, ...]) -> dict[str, int]:
    """Each text column's size in `model`: what a form field is checked against and cut to."""
    return {name: model.__table__.c[name].type.length for name in names}


def one_line_texts(data: object, limits: dict[str, int], errors: dict[str, list[str]]) -> dict[str, Any]:
    """`data`'s text fields on one line each, with an error for each one over its column's size."""
    values: dict[str, Any] = {}
    for name, limit in limits.items():
        value = " ".join((getattr(data, name) or "").split())
        if len(value) > limit:
            errors.setdefault(name, []).append(f"At most {limit} characters.")
        values[name] = value
    return values
