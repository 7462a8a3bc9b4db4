"""Names of the people and organisations on list rows, read as columns rather than loaded objects.

Lists of a hundred outreach rows spent more time building Person and Organisation objects than their
query took; these columns and `party_name` give the same names from a plain row."""

from __future__ import annotations

from typing import Any

from crm.contacts.models import Organisation, Person

# Select these beside `person_id`, with Person and Organisation outer-joined on the row's party.
PARTY_COLUMNS = (
    Person.given_name,
    Person.patronymic,
    Person.family_name,
    Organisation.name.label("organisation_name"),
)


def display_name(given_name: str | None, patronymic: str | None, family_name: str | None) -> str:
    """Person.display_name from its columns."""
    return " ".join(part for part in (given_name, patronymic, family_name) if part)


def party_name(row: Any) -> str:
    """Participant.party_name / Response.party_name from a row with `person_id` and PARTY_COLUMNS."""
    if row.person_id is not None:
        return display_name(row.given_name, row.patronymic, row.family_name)
    return row.organisation_name or ""
