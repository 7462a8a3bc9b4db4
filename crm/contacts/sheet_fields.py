"""A person's fields as spreadsheets name them: the columns the export writes and the import reads.

The import's `mapping` turns a header label into one of these keys, its cleaners turn the cell
under it into a clean value and its writer stores it; `crm.exports` writes the same labels as
headers, so this product's own export maps back to these fields with no guessing (round trip).
Here, with the contacts, because both the import and the export use it and neither may import
the other.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # the header this product's own export writes
    help: str
    many: bool = False  # a cell may hold a list ("a, b; c")


FIELDS: tuple[Field, ...] = (
    Field("id", "ID", "This product's person id; rows with an id update that person."),
    Field("external_id", "External ID", "The list's own id of the person, e.g. the European Parliament's MEP id."),
    Field("honorific", "Honorific", "Mr, Ms, Dr, H.E. …"),
    Field("given_name", "Given name", "First name(s)."),
    Field("family_name", "Family name", "Surname; required unless a full name is given."),
    Field("patronymic", "Patronymic", "Optional middle name from the father's name."),
    Field("full_name", "Full name", "'Given Family' or 'FAMILY Given' or 'Family, Given'; split on import."),
    Field("native_name", "Name in native script", "The name as written in its own script: Джакишев."),
    Field("email", "Email", "Primary email; several may be separated by ';' or ','.", many=True),
    Field("email_other", "Other emails", "Further emails.", many=True),
    Field("phone", "Phone", "Primary phone; turned into +country form where the country is known.", many=True),
    Field("mobile", "Mobile", "Mobile phone.", many=True),
    Field("street", "Street", "Postal address: street and number."),
    Field("postcode", "Postcode", "Postal code."),
    Field("city", "City", "City."),
    Field("country", "Country", "Country in any language, or its ISO code: Kazakhstan, Казахстан, KZ."),
    Field("languages", "Languages", "Languages spoken, as names or ISO codes.", many=True),
    Field("category", "Category", "MEP, PACE deputy, NGO staff, journalist …"),
    Field("tags", "Tags", "Comma-separated tags.", many=True),
    Field("notes", "Notes", "Free text; added to what staff already wrote, never replacing it."),
    Field("source", "Source", "Where this record comes from."),
    Field("lawful_basis", "Lawful basis", "GDPR lawful basis: legitimate_interests, consent, …"),
    Field("organisation", "Organisation", "Organisation the person belongs to; created when new."),
    Field("role_title", "Role", "Title of the role in that organisation: Director, Member, Vice-President."),
    Field("role_start", "Role start", "Date the role began."),
    Field("role_end", "Role end", "Date the role ended; empty while it lasts."),
    Field("political_group", "Political group", "European political group: EPP, S&D, Renew, Greens/EFA …"),
    Field("national_party", "National party", "National political party."),
    Field("delegation", "Delegation", "National delegation, e.g. to PACE."),
    Field("committees", "Committees", "Committee memberships, comma-separated.", many=True),
)

BY_KEY: dict[str, Field] = {field.key: field for field in FIELDS}

# At least one of these must be mapped for a sheet to be a list of people.
NAME_KEYS = ("family_name", "full_name", "native_name")
