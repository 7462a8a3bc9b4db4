"""People and organisation lists: folded-text search, filters, sorting, pages."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from blinker import Namespace
from sqlalchemy import ColumnElement, Select, and_, exists, false, func, or_, select, true
from sqlalchemy.orm import selectinload

from crm.contacts.models import Organisation, Person, Role
from crm.extensions import db
from crm.folding import query_terms
from crm.ids import optional_int
from crm.taxonomy.models import OrganisationType, organisation_tag, person_tag
from crm.timeutil import today

# Whom an import run created, and the roles it added, are ours to know (their import_run_id); whom it
# updated only the import records, and it comes later in the order between features: it answers this
# signal (sender: the run's id) with a condition on Person.
import_run_people = Namespace().signal("import-run-people")

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
    contact: str = ""  # "": anyone, "ok": may be contacted, "no": marked do not contact
    import_run_id: int | None = None  # the people this import created or updated (its result page links here)

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> PeopleFilter:
        """From a list URL's query arguments; junk values are ignored, not errors."""
        return cls(
            q=(args.get("q") or "").strip()[:200],
            category_id=optional_int(args.get("category_id")),
            country=(args.get("country") or "").strip().upper()[:2] or None,
            organisation_id=optional_int(args.get("organisation_id")),
            political_group_id=optional_int(args.get("political_group_id")),
            tag_id=optional_int(args.get("tag_id")),
            archived=args.get("archived") if args.get("archived") in ("active", "archived", "all") else "active",
            sort=args.get("sort") if args.get("sort") in PEOPLE_SORTS else "name",
            contact=args.get("contact") if args.get("contact") in ("ok", "no") else "",
            import_run_id=optional_int(args.get("import_run_id")),
        )

    def describe(self) -> str:
        """A short human description for confirmations ("search “MEP”, country CZ")."""
        parts = [f"search “{self.q}”"] if self.q else []
        parts += [
            f"{name.replace('_id', '').replace('_', ' ')} {value}"
            for name, value in (
                ("country", self.country),
                ("category_id", self.category_id),
                ("organisation_id", self.organisation_id),
                ("political_group_id", self.political_group_id),
                ("tag_id", self.tag_id),
            )
            if value
        ]
        if self.contact:
            parts.append("may be contacted" if self.contact == "ok" else "do not contact")
        if self.import_run_id:
            parts.append(f"created or updated by import #{self.import_run_id}")
        return ", ".join(parts) or "everyone in the list"


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


def _archived_condition(column: Any, show: str, *, scanning: bool) -> list[ColumnElement[bool]]:
    if show not in ("active", "archived"):
        return []
    wanted = true() if show == "archived" else false()
    if scanning:
        # A text search reads every row anyway; wrapped in a function the flag
        # cannot lure the planner into an index walk with a lookup per row.
        return [func.coalesce(column, false()) == wanted]
    return [column.is_(wanted)]


def _current_role_at(organisation_id: int) -> ColumnElement[bool]:
    return exists().where(
        Role.person_id == Person.id,
        Role.organisation_id == organisation_id,
        or_(Role.ends_on.is_(None), Role.ends_on >= today()),
    )


def _touched_by_import(run_id: int) -> ColumnElement[bool]:
    return or_(
        Person.import_run_id == run_id,
        exists().where(Role.person_id == Person.id, Role.import_run_id == run_id),
        *(condition for _, condition in import_run_people.send(run_id)),
    )


def people_query(filters: PeopleFilter) -> Select:
    """The filtered, sorted statement over Person; shared by the list and exports."""
    query = select(Person)
    condition = text_condition(Person.search_text, filters.q)
    if condition is not None:
        query = query.where(condition)
    query = query.where(*_archived_condition(Person.archived, filters.archived, scanning=condition is not None))
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
    if filters.contact:
        query = query.where(Person.do_not_contact.is_(filters.contact == "no"))
    if filters.import_run_id:
        query = query.where(_touched_by_import(filters.import_run_id))
    _, order = PEOPLE_SORTS.get(filters.sort, PEOPLE_SORTS["name"])
    return query.order_by(*order)


def text_search_statement(query: Select, entity: Any, order: Any) -> Select:
    """A text search as: matching ids first, in one full scan, then the sorted page over just those.

    Left to themselves SQLite and PostgreSQL may walk the (archived, sort_key)
    index to honour ORDER BY … LIMIT and look up every row on the way, which is
    several times slower than one scan, so the ids are materialised first."""
    hits = query.with_only_columns(entity.id).order_by(None).cte("hits").prefix_with("MATERIALIZED")
    return select(entity, func.count().over()).join(hits, hits.c.id == entity.id).order_by(*order)


def _paginate(query: Select, page: int, per_page: int, options: list[Any], *, search: tuple | None) -> Page:
    """One page and the total.

    `search` (entity, order) is given for a text search, which reads the whole
    table anyway: one statement with a window count gives page and total in a
    single scan. Otherwise the page walks the sort index and stops after
    `per_page` rows, and a separate count reads an index."""
    page = max(1, page)
    if search:
        paged = text_search_statement(query, *search).limit(per_page).offset((page - 1) * per_page).options(*options)
        rows = db.session.execute(paged).all()
        if rows or page == 1:  # an empty first page means no match: no second scan to count nothing
            return Page(items=[row[0] for row in rows], total=rows[0][1] if rows else 0, page=page, per_page=per_page)
        items: list[Any] = []
    else:
        items = list(db.session.scalars(query.limit(per_page).offset((page - 1) * per_page).options(*options)))
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    return Page(items=items, total=total, page=page, per_page=per_page)


def search_people(filters: PeopleFilter, *, page: int = 1, per_page: int = 50) -> Page:
    options = [
        selectinload(Person.roles).selectinload(Role.organisation),
        selectinload(Person.emails),
        selectinload(Person.tags),
        selectinload(Person.category),
    ]
    search = (Person, PEOPLE_SORTS.get(filters.sort, PEOPLE_SORTS["name"])[1]) if query_terms(filters.q) else None
    return _paginate(people_query(filters), page, per_page, options, search=search)


def organisations_query(filters: OrganisationFilter) -> Select:
    query = select(Organisation)
    condition = text_condition(Organisation.search_text, filters.q)
    if condition is not None:
        query = query.where(condition)
    query = query.where(*_archived_condition(Organisation.archived, filters.archived, scanning=condition is not None))
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
    order = ORGANISATION_SORTS.get(filters.sort, ORGANISATION_SORTS["name"])[1]
    search = (Organisation, order) if query_terms(filters.q) else None
    result = _paginate(organisations_query(filters), page, per_page, options, search=search)
    ids = [o.id for o in result.items]
    if ids:
        counts = db.session.execute(
            select(Role.organisation_id, func.count())
            .where(Role.organisation_id.in_(ids), or_(Role.ends_on.is_(None), Role.ends_on >= today()))
            .group_by(Role.organisation_id)
        )
        result.extra["member_counts"] = dict(counts.all())
    return result


def people_ids(filters: PeopleFilter, limit: int) -> list[int]:
    """Ids of the people a list shows, in its order (for bulk actions)."""
    return list(db.session.scalars(people_query(filters).with_only_columns(Person.id).limit(limit)))


def political_groups() -> list[tuple[int, str]]:
    """(id, short name) of the active political groups, for the people-list filter."""
    return [
        (organisation_id, short_name or name)
        for organisation_id, short_name, name in db.session.execute(
            select(Organisation.id, Organisation.short_name, Organisation.name)
            .join(OrganisationType, Organisation.type_id == OrganisationType.id)
            .where(OrganisationType.code == "political_group", Organisation.archived.is_(False))
            .order_by(Organisation.sort_key)
        )
    ]


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
