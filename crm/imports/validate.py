"""Stage 5: checks on a row's normalised values that no single cell can make alone."""

from __future__ import annotations

from typing import Any, Protocol

from crm.contacts.models import LAWFUL_BASES
from crm.imports.results import Problem

# The database's column sizes: a longer value is refused with a reason, never cut silently.
LIMITS = {
    "honorific": 40,
    "given_name": 100,
    "family_name": 100,
    "patronymic": 100,
    "native_name": 200,
    "source": 200,
    "organisation": 200,
    "role_title": 200,
    "political_group": 200,
    "national_party": 200,
    "delegation": 200,
    "street": 300,
    "postcode": 20,
    "city": 100,
    "external_id": 100,
}


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
            Problem(plan.label_of("role_end"), f"The role ends ({end:%d.%m.%Y}) before it starts ({start:%d.%m.%Y}).")
        )
    basis = values.get("lawful_basis")
    if basis and basis not in LAWFUL_BASES:
        known = ", ".join(LAWFUL_BASES)
        problems.append(Problem(plan.label_of("lawful_basis"), f"“{basis}” is not a lawful basis; use one of {known}."))
    for key in ("phone", "mobile"):
        for number in values.get(key) or []:
            if len(number) > 40:
                problems.append(Problem(plan.label_of(key), f"“{number[:40]}…” is longer than a phone number can be."))
    for tag in values.get("tags") or []:
        if len(tag) > 60:
            problems.append(Problem(plan.label_of("tags"), f"The tag “{tag[:40]}…” is longer than 60 characters."))
    return problems
