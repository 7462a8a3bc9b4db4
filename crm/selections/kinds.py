"""The lists one may select on: their records, what a list's query string matches, their tags."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, Table

from crm.contacts.models import Organisation, Person
from crm.contacts.search import PeopleFilter, organisations_query, people_query
from crm.exports.organisation_rows import organisation_filter_from_args
from crm.outreach.models import Outreach
from crm.outreach.search import OutreachFilter, outreach_query
from crm.taxonomy.models import organisation_tag, person_tag


@dataclass(frozen=True)
class ListKind:
    name: str  # "people": the selection's kind, the export's kind, the URL's
    entity: Any  # the model whose ids are selected
    singular: str
    plural: str
    query: Callable[[Mapping[str, str]], Select]  # a list's query arguments → its statement
    tag_table: Table | None = None  # how its records are tagged, when they are
    tag_column: Any = None  # that table's column naming the record
    archivable: bool = False

    def noun(self, count: int) -> str:
        return f"{count} {self.singular if count == 1 else self.plural}"

    def matching_ids(self, args: Mapping[str, str]) -> Select:
        """The ids the list shows for these query arguments (every page, any order)."""
        return self.query(args).with_only_columns(self.entity.id).order_by(None)


KINDS = {
    "people": ListKind(
        "people",
        Person,
        "person",
        "people",
        lambda args: people_query(PeopleFilter.from_args(args)),
        person_tag,
        person_tag.c.person_id,
        archivable=True,
    ),
    "organisations": ListKind(
        "organisations",
        Organisation,
        "organisation",
        "organisations",
        lambda args: organisations_query(organisation_filter_from_args(args)),
        organisation_tag,
        organisation_tag.c.organisation_id,
        archivable=True,
    ),
    # Outreach entries carry no tags and are closed rather than archived: they are selected to export.
    "outreach": ListKind(
        "outreach",
        Outreach,
        "outreach entry",
        "outreach entries",
        lambda args: outreach_query(OutreachFilter.from_args(args)),
    ),
}
