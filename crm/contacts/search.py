"""People and organisation lists: folded-text search, filters, sorting, pages."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.orm import selectinload

from crm.contacts.models import Organisation, Person, Role
from crm.extensions import db
from crm.folding import query_terms
from crm.taxonomy.models import organisation_tag, person_tag
from crm.timeutil import today

PEOPLE_SORTS: dict[str, tuple[str, Any]] = {
    "name": ("Sort: name", (Person.sort_key, Person.id)),
    "-name": ("Sort: name, Z–A", (Person.sort_key.desc(), Person.id.desc())),
    "country": ("Sort: country", (Person.country.asc().nulls_last(), Person.sort_key, Person.id)),
    "-updated": ("Sort: recently changed", (Person.updated_at.desc(), Person.id.desc())),
    "-created": ("Sort: recently added", (Person.created_at.desc(), Person.id.desc())),
}
ORGANISATION_SORTS: dict[str, tuple[str, Any]] = {
    "name": ("Sort: name", (Organisation.sort_key, Organisation.id)),
    "country": ("Sort: country", (Organisation.country.asc().nulls_last(), Organisation.sort_key, Organisation.id)),
    "-updated": ("Sort: recently changed", (Organisation.updated_at.desc(), Organisation.id.desc())),
}


@dataclass
class PeopleFilter:
    q: str = ""
    category_id: int | None = None
    country: str | None = None
    organisation_id: int | None = None
    political_group_id: int | None = None
    tag_id: int | None = None
    archived: str = "active"  # active | archived | all
    sort: str = "name"


@dataclass
class OrganisationFilter:
    q: str = ""
    type_id: int | None = None
    country: str | None = None
    tag_id: int | None = None
    archived: str = "active"
    sort: str = "name"


@dataclass
class Page:
    items: list[Any]
    total: int
    page: int
    per_page: int
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return min(self.page * self.per_page, self.total)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def text_condition(column: Any, query: str) -> ColumnElement[bool] | None:
    """Every query word must appear in the folded text, as typed or as it sounds."""
    conditions = []
    for plain, sound in query_terms(query):
        patterns = {f"%{_escape_like(plain)}%", f"%{_escape_like(sound)}%"}
        conditions.append(or_(*(column.like(p, escape="\\") for p in sorted(patterns))))
    return and_(*conditions) if conditions else None


def _current_role_at(organisation_id: int) -> ColumnElement[bool]:
    return exists().where(
        Role.person_id == Person.id,
        Role.organisation_id == organisation_id,
        or_(Role.ends_on.is_(None), Role.ends_on >= today()),
    )


def people_query(filters: PeopleFilter) -> Select:
    """The filtered, sorted statement over Person; shared by the list and exports."""
    query = select(Person)
    condition = text_condition(Person.search_text, filters.q)
    if condition is not None:
        query = query.where(condition)
    if filters.archived == "active":
        query = query.where(Person.archived.is_(False))
    elif filters.archived == "archived":
        query = query.where(Person.archived.is_(True))
    if filters.category_id:
        query = query.where(Person.category_id == filters.category_id)
    if filters.country:
        query = query.where(Person.country == filters.country)
    if filters.organisation_id:
        query = query.where(_current_role_at(filters.organisation_id))
    if filters.political_group_id:
        query = query.where(_current_role_at(filters.political_group_id))
    if filters.tag_id:
        query = query.where(exists().where(person_tag.c.person_id == Person.id, person_tag.c.tag_id == filters.tag_id))
    _, order = PEOPLE_SORTS.get(filters.sort, PEOPLE_SORTS["name"])
    return query.order_by(*order)


def _paginate(query: Select, page: int, per_page: int, options: list[Any]) -> Page:
    page = max(1, page)
    # One statement returns the page and the total (a window count), so a
    # search scans the table once rather than twice.
    paged = query.add_columns(func.count().over()).limit(per_page).offset((page - 1) * per_page).options(*options)
    rows = db.session.execute(paged).all()
    if rows:
        total = rows[0][1]
    else:
        total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    return Page(items=[row[0] for row in rows], total=total, page=page, per_page=per_page)


def search_people(filters: PeopleFilter, *, page: int = 1, per_page: int = 50) -> Page:
    options = [
        selectinload(Person.roles).selectinload(Role.organisation).selectinload(Organisation.type),
        selectinload(Person.emails),
        selectinload(Person.tags),
        selectinload(Person.category),
    ]
    return _paginate(people_query(filters), page, per_page, options)


def organisations_query(filters: OrganisationFilter) -> Select:
    query = select(Organisation)
    condition = text_condition(Organisation.search_text, filters.q)
    if condition is not None:
        query = query.where(condition)
    if filters.archived == "active":
        query = query.where(Organisation.archived.is_(False))
    elif filters.archived == "archived":
        query = query.where(Organisation.archived.is_(True))
    if filters.type_id:
        query = query.where(Organisation.type_id == filters.type_id)
    if filters.country:
        query = query.where(Organisation.country == filters.country)
    if filters.tag_id:
        query = query.where(
            exists().where(
                organisation_tag.c.organisation_id == Organisation.id, organisation_tag.c.tag_id == filters.tag_id
            )
        )
    _, order = ORGANISATION_SORTS.get(filters.sort, ORGANISATION_SORTS["name"])
    return query.order_by(*order)


def search_organisations(filters: OrganisationFilter, *, page: int = 1, per_page: int = 50) -> Page:
    options = [selectinload(Organisation.type), selectinload(Organisation.parent), selectinload(Organisation.tags)]
    result = _paginate(organisations_query(filters), page, per_page, options)
    ids = [o.id for o in result.items]
    if ids:
        counts = db.session.execute(
            select(Role.organisation_id, func.count())
            .where(Role.organisation_id.in_(ids), or_(Role.ends_on.is_(None), Role.ends_on >= today()))
            .group_by(Role.organisation_id)
        )
        result.extra["member_counts"] = dict(counts.all())
    return result


def lookup_people(query: str, limit: int = 10) -> list[Person]:
    """Type-ahead: the best few active people for what has been typed so far."""
    condition = text_condition(Person.search_text, query)
    if condition is None:
        return []
    statement = (
        select(Person)
        .where(condition, Person.archived.is_(False))
        .order_by(Person.sort_key)
        .limit(limit)
        .options(selectinload(Person.roles).selectinload(Role.organisation))
    )
    return list(db.session.scalars(statement))


def lookup_organisations(query: str, limit: int = 10) -> list[Organisation]:
    condition = text_condition(Organisation.search_text, query)
    if condition is None:
        return []
    statement = (
        select(Organisation)
        .where(condition, Organisation.archived.is_(False))
        .order_by(func.length(Organisation.name), Organisation.sort_key)
        .limit(limit)
    )
    return list(db.session.scalars(statement))
