"""Stage 5: checks on a row's normalised values that no single cell can make alone."""

from __future__ import annotations

from typing import Any, Protocol

from crm.contacts.models import LAWFUL_BASES, ExternalId, Organisation, Person, PhoneNumber, PostalAddress, Role
from crm.display import format_day
from crm.imports.results import Problem
from crm.taxonomy.models import Tag


def _length(column) -> int:
    return column.type.length


# The database's column sizes, read from the models: a longer value is refused with a reason, never cut.
_PERSON = Person.__table__.c
_ADDRESS = PostalAddress.__table__.c
LIMITS = {
    **{key: _length(_PERSON[key]) for key in ("honorific", "given_name", "family_name", "patronymic", "native_name")},
    "source": _length(_PERSON.source),
    **{
        key: _length(Organisation.__table__.c.name)
        for key in ("organisation", "political_group", "national_party", "delegation")
    },
    "role_title": _length(Role.__table__.c.title),
    **{key: _length(_ADDRESS[key]) for key in ("street", "postcode", "city")},
    "external_id": _length(ExternalId.__table__.c.value),
}
PHONE_LIMIT = _length(PhoneNumber.__table__.c.number)
TAG_LIMIT = _length(Tag.__table__.c.name)


class Labels(Protocol):
    def label_of(self, key: str) -> str: ...


def validate(values: dict[str, Any], plan: Labels) -> list[Problem]:
    problems: list[Problem] = []
    if not (values.get("family_name") or values.get("native_name")):
        problems.append(Problem(plan.label_of("family_name"), "The row has no name."))
    for key, limit in LIMITS.items():
        value = values.get(key)
        if isinstance(value, str) and len(value) > limit:
            problems.append(
                Problem(plan.label_of(key), f"“{value[:40]}…” is {len(value)} characters long; at most {limit} fit.")
            )
    start, end = values.get("role_start"), values.get("role_end")
    if start and end and end < start:
        problems.append(
            Problem(
                plan.label_of("role_end"), f"The role ends ({format_day(end)}) before it starts ({format_day(start)})."
            )
        )
    basis = values.get("lawful_basis")
    if basis and basis not in LAWFUL_BASES:
        known = ", ".join(LAWFUL_BASES)
        problems.append(Problem(plan.label_of("lawful_basis"), f"“{basis}” is not a lawful basis; use one of {known}."))
    for key in ("phone", "mobile"):
        for number in values.get(key) or []:
            if len(number) > PHONE_LIMIT:
                problems.append(Problem(plan.label_of(key), f"“{number[:40]}…” is longer than a phone number can be."))
    for tag in values.get("tags") or []:
        if len(tag) > TAG_LIMIT:
            problems.append(
                Problem(plan.label_of("tags"), f"The tag “{tag[:40]}…” is longer than {TAG_LIMIT} characters.")
            )
    return problems
