"""People as rows: the columns of the importer's field vocabulary, one person per row.

The main statement is the people list's own (`people_query`), narrowed to plain columns
and read a chunk at a time; emails, phones, addresses, tags, external ids and current
roles come from one batch query each per chunk, never one per person.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import ColumnElement, exists, or_, select

from crm.contacts.models import (
    LAWFUL_BASES,
    EmailAddress,
    ExternalId,
    Organisation,
    Person,
    PhoneNumber,
    PostalAddress,
    Role,
)
from crm.contacts.search import PeopleFilter, people_query
from crm.contacts.sheet_fields import BY_KEY
from crm.outreach.models import Outreach, Participant
from crm.spreadsheets.table import DATE, NUMBER, TEXT, Column, Table, joined
from crm.sql.rows import among, grouped, rows_of, stream_chunks
from crm.taxonomy.models import Category, OrganisationType, Tag, person_tag
from crm.timeutil import today
from crm.values import country_name, language_names

CHUNK = 2000
# Every field the importer knows except "Full name": the name parts are exported instead,
# and a row with both would make the importer choose between them. The order is the
# order `_rows` yields; the headers are the importer's own labels.
PEOPLE_KEYS = (
    "id", "external_id", "honorific", "given_name", "family_name", "patronymic", "native_name",
    "email", "email_other", "phone", "mobile", "street", "postcode", "city", "country", "languages",
    "category", "tags", "notes", "source", "lawful_basis",
    "organisation", "role_title", "role_start", "role_end", "political_group", "national_party", "delegation", "committees",
)  # fmt: skip
_KINDS = {"id": NUMBER, "role_start": DATE, "role_end": DATE}
_WIDTHS = {"notes": 60, "email_other": 50, "committees": 50}
PEOPLE_COLUMNS = tuple(Column(BY_KEY[key].label, _KINDS.get(key, TEXT), _WIDTHS.get(key, 40)) for key in PEOPLE_KEYS)
# Current roles at organisations of these types have columns of their own; the
# "Organisation" column holds the latest current role anywhere else.
GROUP_TYPES = {"political_group", "national_party", "delegation", "committee"}
MOBILE_LABELS = ("mobile", "cell", "gsm", "handy")

_PERSON_COLUMNS = (
    Person.id,
    Person.honorific,
    Person.given_name,
    Person.family_name,
    Person.patronymic,
    Person.native_name,
    Person.country,
    Person.languages,
    Person.category_id,
    Person.notes,
    Person.source,
    Person.lawful_basis,
)


def took_part_in(campaign_id: int) -> ColumnElement[bool]:
    """The person is on an outreach entry of the campaign, in any role."""
    return exists().where(
        Participant.person_id == Person.id,
        Participant.outreach_id == Outreach.id,
        Outreach.campaign_id == campaign_id,
    )


def people_table(filters: PeopleFilter, *, campaign_id: int | None = None, within: Any = None) -> Table:
    """`within`: a statement of ids the rows are limited to (a user's selection on the list)."""
    statement = people_query(filters).with_only_columns(*_PERSON_COLUMNS)
    if within is not None:
        statement = statement.where(Person.id.in_(within))
    if campaign_id is not None:
        statement = statement.where(took_part_in(campaign_id))
    return Table("People", PEOPLE_COLUMNS, _rows(statement))


class _Chunk:
    """Everything the rows of one chunk need besides the person's own columns."""

    def __init__(self, ids: list[int], on: Any) -> None:
        def batch(*columns, order=()) -> dict[int, list[tuple]]:
            owner = columns[0]
            statement = select(*columns).where(among(owner, ids)).order_by(owner, *order)
            return grouped(statement)

        ranked = (EmailAddress.is_primary.desc(), EmailAddress.position, EmailAddress.id)
        self.emails = batch(EmailAddress.person_id, EmailAddress.address, order=ranked)
        self.phones = batch(
            PhoneNumber.person_id,
            PhoneNumber.number,
            PhoneNumber.label,
            order=(PhoneNumber.is_primary.desc(), PhoneNumber.position, PhoneNumber.id),
        )
        self.addresses = batch(
            PostalAddress.person_id,
            PostalAddress.street,
            PostalAddress.postcode,
            PostalAddress.city,
            order=(PostalAddress.is_primary.desc(), PostalAddress.position, PostalAddress.id),
        )
        self.tags = grouped(
            select(person_tag.c.person_id, Tag.name)
            .join(Tag, Tag.id == person_tag.c.tag_id)
            .where(among(person_tag.c.person_id, ids))
            .order_by(person_tag.c.person_id, Tag.key)
        )
        self.external_ids = batch(ExternalId.person_id, ExternalId.scheme, ExternalId.value, order=(ExternalId.scheme,))
        self.roles = grouped(
            select(
                Role.person_id,
                Role.title,
                Role.starts_on,
                Role.ends_on,
                Organisation.name,
                Organisation.short_name,
                OrganisationType.code,
            )
            .join(Organisation, Organisation.id == Role.organisation_id)
            .outerjoin(OrganisationType, OrganisationType.id == Organisation.type_id)
            .where(among(Role.person_id, ids), or_(Role.ends_on.is_(None), Role.ends_on >= on))
            # Latest first: the first role of a kind is the one a single column shows.
            .order_by(Role.person_id, Role.starts_on.desc().nulls_last(), Role.id.desc())
        )


def _role_cells(roles: list[tuple]) -> tuple:
    """organisation, role title, start, end, political group, national party, delegation, committees."""
    main = next((role for role in roles if role[5] not in GROUP_TYPES), None)
    by_type: dict[str, list[str]] = {}
    for _title, _start, _end, name, short_name, code in roles:
        if code in GROUP_TYPES:
            # Groups and committees are known by their short names (EPP, S&D, LIBE).
            by_type.setdefault(code, []).append(name if code == "national_party" else short_name or name)
    first = {code: names[0] for code, names in by_type.items()}
    return (
        main[3] if main else None,
        main[0] if main else None,
        main[1] if main else None,
        main[2] if main else None,
        first.get("political_group"),
        first.get("national_party"),
        first.get("delegation"),
        joined(by_type.get("committee", ())),
    )


def _phone_cells(phones: list[tuple]) -> tuple[str, str]:
    mobile = [number for number, label in phones if label.strip().casefold().startswith(MOBILE_LABELS)]
    other = [number for number, label in phones if not label.strip().casefold().startswith(MOBILE_LABELS)]
    return joined(other), joined(mobile)


def _rows(statement: Any) -> Iterator[tuple]:
    categories = dict(rows_of(select(Category.id, Category.name)).all())
    countries: dict[str | None, str] = {}
    languages: dict[str, str] = {}
    on = today()
    for chunk in stream_chunks(statement, CHUNK):
        extra = _Chunk([row[0] for row in chunk], on)
        for person_id, honorific, given, family, patronymic, native, country, langs, category_id, *rest in chunk:
            notes, source, lawful_basis = rest
            emails = [address for (address,) in extra.emails.get(person_id, ())]
            address = extra.addresses.get(person_id, [("", "", "")])[0]
            if country not in countries:
                # English names, as the app shows them: every one maps back to its code on import.
                countries[country] = country_name(country)
            if langs not in languages:
                # Names, not codes: they read well and the importer takes either.
                languages[langs] = language_names(langs)
            yield (
                person_id,
                joined(f"{scheme}:{value}" for scheme, value in extra.external_ids.get(person_id, ())),
                honorific,
                given,
                family,
                patronymic,
                native,
                emails[0] if emails else None,
                joined(emails[1:]),
                *_phone_cells(extra.phones.get(person_id, ())),
                *address,
                countries[country],
                languages[langs],
                categories.get(category_id),
                joined((name for (name,) in extra.tags.get(person_id, ())), ", "),
                notes,
                source,
                LAWFUL_BASES.get(lawful_basis, lawful_basis),  # words: the importer reads them back to the code
                *_role_cells(extra.roles.get(person_id, [])),
            )
