"""Organisations as rows, filtered as the organisation list filters them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import aliased

from crm.contacts.models import EmailAddress, Organisation, PhoneNumber, PostalAddress
from crm.contacts.search import ORGANISATION_SORTS, OrganisationFilter, organisations_query
from crm.ids import optional_int
from crm.outreach.models import Outreach, Participant
from crm.spreadsheets.table import NUMBER, Column, Table, joined
from crm.sql.rows import among, grouped, rows_of, stream_chunks
from crm.taxonomy.models import OrganisationType, Tag, organisation_tag
from crm.values import country_name

CHUNK = 1000
ORGANISATION_COLUMNS = (
    Column("ID", NUMBER),
    Column("Name", max_width=50),
    Column("Short name"),
    Column("Name in native script"),
    Column("Type"),
    Column("Country"),
    Column("Parent ID", NUMBER),
    Column("Parent", max_width=50),
    Column("Website"),
    Column("Emails", max_width=50),
    Column("Phones"),
    Column("Street"),
    Column("Postcode"),
    Column("City"),
    Column("Tags"),
    Column("Notes", max_width=60),
)


def organisation_filter_from_args(args: Mapping[str, str]) -> OrganisationFilter:
    """The organisation list's query arguments, read as its filter form reads them; junk is ignored."""
    return OrganisationFilter(
        q=(args.get("q") or "").strip()[:200],
        type_id=optional_int(args.get("type_id")),
        country=(args.get("country") or "").strip().upper()[:2] or None,
        tag_id=optional_int(args.get("tag_id")),
        archived=args.get("archived") if args.get("archived") in ("active", "archived", "all") else "active",
        sort=args.get("sort") if args.get("sort") in ORGANISATION_SORTS else "name",
    )


def organisations_table(filters: OrganisationFilter, *, campaign_id: int | None = None, within: Any = None) -> Table:
    parent = aliased(Organisation)
    statement = (
        organisations_query(filters)
        .with_only_columns(
            Organisation.id,
            Organisation.name,
            Organisation.short_name,
            Organisation.native_name,
            Organisation.type_id,
            Organisation.country,
            Organisation.parent_id,
            parent.name,
            Organisation.website,
            Organisation.notes,
        )
        .outerjoin(parent, parent.id == Organisation.parent_id)
    )
    if campaign_id is not None:
        statement = statement.where(
            exists().where(
                Participant.organisation_id == Organisation.id,
                Participant.outreach_id == Outreach.id,
                Outreach.campaign_id == campaign_id,
            )
        )
    if within is not None:  # a statement of ids: a user's selection on the list
        statement = statement.where(Organisation.id.in_(within))
    return Table("Organisations", ORGANISATION_COLUMNS, _rows(statement))


def _batch(ids: list[int], *columns: Any, order: tuple = ()) -> dict[int, list[tuple]]:
    owner = columns[0]
    return grouped(select(*columns).where(among(owner, ids)).order_by(owner, *order))


def _rows(statement: Any) -> Iterator[tuple]:
    types = dict(rows_of(select(OrganisationType.id, OrganisationType.name)).all())
    for chunk in stream_chunks(statement, CHUNK):
        ids = [row[0] for row in chunk]
        emails = _batch(
            ids,
            EmailAddress.organisation_id,
            EmailAddress.address,
            order=(EmailAddress.is_primary.desc(), EmailAddress.position, EmailAddress.id),
        )
        phones = _batch(
            ids,
            PhoneNumber.organisation_id,
            PhoneNumber.number,
            order=(PhoneNumber.is_primary.desc(), PhoneNumber.position, PhoneNumber.id),
        )
        addresses = _batch(
            ids,
            PostalAddress.organisation_id,
            PostalAddress.street,
            PostalAddress.postcode,
            PostalAddress.city,
            order=(PostalAddress.is_primary.desc(), PostalAddress.position, PostalAddress.id),
        )
        tags = grouped(
            select(organisation_tag.c.organisation_id, Tag.name)
            .join(Tag, Tag.id == organisation_tag.c.tag_id)
            .where(among(organisation_tag.c.organisation_id, ids))
            .order_by(organisation_tag.c.organisation_id, Tag.key)
        )
        for org_id, name, short_name, native_name, type_id, country, parent_id, parent_name, website, notes in chunk:
            yield (
                org_id,
                name,
                short_name,
                native_name,
                types.get(type_id),
                country_name(country),
                parent_id,
                parent_name,
                website,
                joined(address for (address,) in emails.get(org_id, ())),
                joined(number for (number,) in phones.get(org_id, ())),
                *addresses.get(org_id, [("", "", "")])[0],
                joined((tag for (tag,) in tags.get(org_id, ())), ", "),
                notes,
            )
