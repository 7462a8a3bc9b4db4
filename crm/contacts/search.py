"""People and organisation lists: folded-text search, filters, sorting, pages."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, urlencode

from blinker import Namespace
from sqlalchemy import Column, ColumnElement, Select, and_, exists, false, func, or_, select, true
from sqlalchemy.orm import aliased, selectinload
from sqlalchemy.sql import visitors
from sqlalchemy.sql.util import ClauseAdapter
from werkzeug.datastructures import MultiDict

from crm.contacts.models import Organisation, Person, Role, SavedList, SavedListMember
from crm.contacts.search_index import holding_every
from crm.extensions import db
from crm.folding import query_terms
from crm.ids import optional_int
from crm.taxonomy.models import Category, OrganisationType, Tag, organisation_tag, person_tag
from crm.timeutil import today
from crm.values import country_name

# Whom an import run created, and the roles it added, are ours to know (their import_run_id); whom it
# updated only the import records, and it comes later in the order between features: it answers this
# signal (sender: the run's id) with a condition on Person.
import_run_people = Namespace().signal("import-run-people")
# A campaign's targets and supporters (crm.campaigns.members) come later in that order too: it answers
# this signal (sender: the campaign's id; `role`: "target", "supporter" or "") with (its description,
# a condition on Person).
campaign_people = Namespace().signal("campaign-people")
CAMPAIGN_ROLES = ("target", "supporter")

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


MAX_ORGANISATIONS = 20  # "member of any of these": committees and delegations at once, not the whole register
# A saved list may be made from a filter that names another saved list; nested this deep at most (and never
# in a circle) before the inner one counts as nobody.
MAX_LIST_DEPTH = 4
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_day(value: str | None) -> date | None:
    """`on=2018-06-01`: a day as YYYY-MM-DD, or None for anything else (the filter form says why)."""
    text = (value or "").strip()
    if not _DAY.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _values(args: Mapping[str, str], name: str) -> list[str]:
    getlist = getattr(args, "getlist", None)
    if getlist is not None:
        return getlist(name)
    value = args.get(name)
    return [value] if value is not None else []


@dataclass
class PeopleFilter:
    """The people list's filters, from its query string (from_args) and back (query_string).

    The query string is a stable interface (staff bookmarks, the letters CLI's --people, saved lists):
    arguments are added, never renamed. `organisation_id` may be repeated: a member of any of them."""

    q: str = ""
    category_id: int | None = None
    country: str | None = None
    organisation_id: int | None = None  # the first organisation chosen: the list's heading names it
    political_group_id: int | None = None
    tag_id: int | None = None
    archived: str = "active"  # active | archived | all
    sort: str = "name"
    contact: str = ""  # "": anyone, "ok": may be contacted, "no": marked do not contact
    import_run_id: int | None = None  # the people this import created or updated (its result page links here)
    organisation_ids: tuple[int, ...] = ()  # the other organisations chosen
    role: str = ""  # a role's title ("Chair"), case aside: at the organisations chosen, or anywhere
    on: date | None = None  # roles (organisations, group, title) held on that day instead of today
    list_id: int | None = None  # a saved list's people (crm.contacts.saved_lists)
    # A campaign's members (crm.campaigns.members): its targets, its supporters, or both (campaign_role "").
    # Not `campaign_id`, which the people export reads already as "on the campaign's outreach".
    in_campaign: int | None = None
    campaign_role: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> PeopleFilter:
        """From a list URL's query arguments; junk values are ignored, not errors."""
        organisations = [number for number in map(optional_int, _values(args, "organisation_id")) if number]
        organisations = list(dict.fromkeys(organisations))[:MAX_ORGANISATIONS]
        return cls(
            q=(args.get("q") or "").strip()[:200],
            category_id=optional_int(args.get("category_id")),
            country=(args.get("country") or "").strip().upper()[:2] or None,
            organisation_id=organisations[0] if organisations else None,
            organisation_ids=tuple(organisations[1:]),
            political_group_id=optional_int(args.get("political_group_id")),
            tag_id=optional_int(args.get("tag_id")),
            archived=args.get("archived") if args.get("archived") in ("active", "archived", "all") else "active",
            sort=args.get("sort") if args.get("sort") in PEOPLE_SORTS else "name",
            contact=args.get("contact") if args.get("contact") in ("ok", "no") else "",
            import_run_id=optional_int(args.get("import_run_id")),
            role=" ".join((args.get("role") or "").split())[:200],
            on=parse_day(args.get("on")),
            list_id=optional_int(args.get("list_id")),
            in_campaign=optional_int(args.get("in_campaign")),
            campaign_role=args.get("campaign_role") if args.get("campaign_role") in CAMPAIGN_ROLES else "",
        )

    @classmethod
    def from_query_string(cls, query: str) -> PeopleFilter:
        return cls.from_args(MultiDict(parse_qsl(query or "")))

    @property
    def organisations(self) -> tuple[int, ...]:
        """Every organisation chosen, the first one first."""
        chosen = ((self.organisation_id,) if self.organisation_id else ()) + tuple(self.organisation_ids)
        return tuple(dict.fromkeys(chosen))

    def as_args(self) -> list[tuple[str, str]]:
        """The query arguments that differ from the defaults, in a fixed order."""
        pairs = [("q", self.q)] if self.q else []
        pairs += [("list_id", str(self.list_id))] if self.list_id else []
        pairs += [("in_campaign", str(self.in_campaign))] if self.in_campaign else []
        pairs += [("campaign_role", self.campaign_role)] if self.in_campaign and self.campaign_role else []
        pairs += [("category_id", str(self.category_id))] if self.category_id else []
        pairs += [("country", self.country)] if self.country else []
        pairs += [("organisation_id", str(organisation)) for organisation in self.organisations]
        pairs += [("role", self.role)] if self.role else []
        pairs += [("political_group_id", str(self.political_group_id))] if self.political_group_id else []
        pairs += [("on", self.on.isoformat())] if self.on else []
        pairs += [("tag_id", str(self.tag_id))] if self.tag_id else []
        pairs += [("archived", self.archived)] if self.archived != "active" else []
        pairs += [("contact", self.contact)] if self.contact else []
        pairs += [("import_run_id", str(self.import_run_id))] if self.import_run_id else []
        pairs += [("sort", self.sort)] if self.sort != "name" else []
        return pairs

    def query_string(self) -> str:
        return urlencode(self.as_args())

    def describe(self) -> str:
        """In words, for confirmations and banners: "MEP, Kazakhstan, members of DROI or AFET on 1 June 2018"."""
        parts = []
        if self.list_id:
            saved = db.session.get(SavedList, self.list_id)
            parts.append(
                f"the saved list “{saved.name}”" if saved else f"a saved list that was deleted (#{self.list_id})"
            )
        if self.in_campaign:
            parts.extend(description for description, _ in _campaign_members(self))
        if self.q:
            parts.append(f"search “{self.q}”")
        if self.category_id:
            category = db.session.get(Category, self.category_id)
            parts.append(category.name if category else f"a category that was deleted (#{self.category_id})")
        if self.country:
            parts.append(country_name(self.country))
        roles = self._describe_roles()
        if roles:
            parts.append(roles)
        if self.tag_id:
            tag = db.session.get(Tag, self.tag_id)
            parts.append(f"tagged “{tag.name}”" if tag else f"a tag that was deleted (#{self.tag_id})")
        if self.contact:
            parts.append("may be contacted" if self.contact == "ok" else "do not contact")
        if self.import_run_id:
            parts.append(f"created or updated by import #{self.import_run_id}")
        if self.archived != "active":
            parts.append("archived only" if self.archived == "archived" else "active and archived")
        return ", ".join(parts) or "everyone in the list"

    def _describe_roles(self) -> str:
        parts = []
        names = " or ".join(_organisation_name(organisation) for organisation in self.organisations)
        if self.role and names:
            parts.append(f"“{self.role}” at {names}")
        elif self.role:
            parts.append(f"“{self.role}” anywhere")
        elif names:
            parts.append(f"members of {names}")
        if self.political_group_id:
            parts.append(f"in the {_organisation_name(self.political_group_id)} group")
        if parts and self.on:
            parts[-1] += f" on {self.on.day} {self.on:%B %Y}"
        return ", ".join(parts)


def _campaign_members(filters: PeopleFilter) -> list[tuple[str, ColumnElement[bool]]]:
    return [answer for _, answer in campaign_people.send(filters.in_campaign, role=filters.campaign_role)]


def _organisation_name(organisation_id: int) -> str:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        return f"an organisation that was deleted (#{organisation_id})"
    return organisation.short_name or organisation.name


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


def _word_condition(column: Any, plain: str, sound: str) -> ColumnElement[bool]:
    patterns = {f"%{_escape_like(plain)}%", f"%{_escape_like(sound)}%"}
    return or_(*(column.like(p, escape="\\") for p in sorted(patterns)))


def text_condition(column: Any, query: str) -> ColumnElement[bool] | None:
    """Every query word must appear in the folded text, as typed or as it sounds."""
    conditions = [_word_condition(column, plain, sound) for plain, sound in query_terms(query)]
    return and_(*conditions) if conditions else None


def people_text_condition(query: str) -> ColumnElement[bool] | None:
    """text_condition over person.search_text; on SQLite the words are first looked up in the trigram
    index where they can be (crm.contacts.search_index), so the LIKEs read only the people found there."""
    condition = text_condition(Person.search_text, query)
    looked_up = holding_every(query_terms(query))
    return condition if looked_up is None else and_(looked_up, condition)


def _archived_condition(column: Any, show: str, *, scanning: bool) -> list[ColumnElement[bool]]:
    if show not in ("active", "archived"):
        return []
    wanted = true() if show == "archived" else false()
    if scanning:
        # A text search reads every row anyway; wrapped in a function the flag
        # cannot lure the planner into an index walk with a lookup per row.
        return [func.coalesce(column, false()) == wanted]
    return [column.is_(wanted)]


def _held_on(day: date | None) -> list[ColumnElement[bool]]:
    """A role held on `day`; without one, a role not ended (as Role.is_current, which a list shows)."""
    if day is None:
        return [or_(Role.ends_on.is_(None), Role.ends_on >= today())]
    return [or_(Role.starts_on.is_(None), Role.starts_on <= day), or_(Role.ends_on.is_(None), Role.ends_on >= day)]


def _holds_role(organisations: tuple[int, ...], title: str, day: date | None) -> ColumnElement[bool]:
    """One role that meets every condition: at one of `organisations`, titled `title`, held on `day`.

    Read from the roles (their organisation index) into a set the people are checked against: a committee's
    few dozen members are found without a lookup per person on the list."""
    conditions = list(_held_on(day))
    if len(organisations) == 1:
        conditions.append(Role.organisation_id == organisations[0])
    elif organisations:
        conditions.append(Role.organisation_id.in_(organisations))
    if title:
        conditions.append(func.lower(Role.title) == title.lower())
    return Person.id.in_(select(Role.person_id).where(*conditions))


def _in_saved_list(query: Select, list_id: int, seen: frozenset[int]) -> Select:
    """Narrowed to a saved list's people: a frozen one's rows (joined, so either side may lead), a live one's
    filters added to the query's own, whatever the archived state (the outer filter decides that, as for
    anyone else). A list that is gone, or that would contain itself, matches nobody."""
    saved = db.session.get(SavedList, list_id)
    if saved is None or list_id in seen or len(seen) >= MAX_LIST_DEPTH:
        return query.where(false())
    if saved.frozen:
        member = aliased(SavedListMember)  # a list of a list joins the table twice
        return query.join(member, and_(member.person_id == Person.id, member.saved_list_id == list_id))
    inner = PeopleFilter.from_query_string(saved.query)
    condition = people_text_condition(inner.q)
    if condition is not None:
        query = query.where(condition)
    return _narrowed(query, inner, seen | {list_id})


def _narrowed(query: Select, filters: PeopleFilter, seen: frozenset[int]) -> Select:
    """Every filter but the text search and the archived state."""
    if filters.list_id:
        query = _in_saved_list(query, filters.list_id, seen)
    if filters.in_campaign:
        # Nobody answering (the campaigns feature not set up) must narrow to nobody, not widen to everyone.
        query = query.where(*([condition for _, condition in _campaign_members(filters)] or [false()]))
    if filters.category_id:
        query = query.where(Person.category_id == filters.category_id)
    if filters.country:
        query = query.where(Person.country == filters.country)
    if filters.organisations or filters.role:
        query = query.where(_holds_role(filters.organisations, filters.role, filters.on))
    if filters.political_group_id:
        query = query.where(_holds_role((filters.political_group_id,), "", filters.on))
    if filters.tag_id:
        query = query.where(exists().where(person_tag.c.person_id == Person.id, person_tag.c.tag_id == filters.tag_id))
    if filters.contact:
        query = query.where(Person.do_not_contact.is_(filters.contact == "no"))
    if filters.import_run_id:
        query = query.where(_touched_by_import(filters.import_run_id))
    return query


def _touched_by_import(run_id: int) -> ColumnElement[bool]:
    return or_(
        Person.import_run_id == run_id,
        exists().where(Role.person_id == Person.id, Role.import_run_id == run_id),
        *(condition for _, condition in import_run_people.send(run_id)),
    )


def people_query(filters: PeopleFilter) -> Select:
    """The filtered, sorted statement over Person; shared by the list and exports."""
    query = select(Person)
    condition = people_text_condition(filters.q)
    if condition is not None:
        query = query.where(condition)
    query = query.where(*_archived_condition(Person.archived, filters.archived, scanning=condition is not None))
    query = _narrowed(query, filters, frozenset())
    _, order = PEOPLE_SORTS.get(filters.sort, PEOPLE_SORTS["name"])
    return query.order_by(*order)


def text_search_statement(query: Select, entity: Any, order: Any, *, page: int, per_page: int) -> Select:
    """A text search's page with the total: the matching rows' ids and sort columns first (from the
    trigram index, or one scan where a word is too short for it), then the page sorted and counted
    over just those, then the page's own rows.

    Left to themselves SQLite and PostgreSQL may walk the (archived, sort_key)
    index to honour ORDER BY … LIMIT and look up every row on the way, which is
    several times slower than one scan, so the hits are materialised first. Sorting and counting
    them before reading whole rows keeps 4 000 hits cheap: PostgreSQL otherwise merge-joins them
    with the whole table (three times slower)."""
    expressions = [getattr(o, "__clause_element__", lambda o=o: o)() for o in order]
    columns = {c.key: c for e in expressions for c in visitors.iterate(e) if isinstance(c, Column)}
    columns.setdefault("id", entity.__table__.c.id)
    hits = query.with_only_columns(*columns.values()).order_by(None).cte("hits").prefix_with("MATERIALIZED")
    on_hits = ClauseAdapter(hits)
    paged = (
        select(hits.c.id, func.count().over().label("total"))
        .order_by(*(on_hits.traverse(e) for e in expressions))
        .limit(per_page)
        .offset((page - 1) * per_page)
        .subquery("paged")
    )
    return select(entity, paged.c.total).join(paged, paged.c.id == entity.id).order_by(*order)


def _paginate(query: Select, page: int, per_page: int, options: list[Any], *, search: tuple | None) -> Page:
    """One page and the total.

    `search` (entity, order) is given for a text search, which reads the whole
    table anyway: one statement with a window count gives page and total in a
    single scan. Otherwise the page walks the sort index and stops after
    `per_page` rows, and a separate count reads an index."""
    page = max(1, page)
    if search:
        paged = text_search_statement(query, *search, page=page, per_page=per_page).options(*options)
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
    order = PEOPLE_SORTS.get(filters.sort, PEOPLE_SORTS["name"])[1]
    search = (Person, order) if query_terms(filters.q) else None
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


def chosen_organisations(organisation_ids: tuple[int, ...]) -> list[Organisation]:
    """The organisations a filter names, in its order (one deleted since is left out)."""
    if not organisation_ids:
        return []
    found = {o.id: o for o in db.session.scalars(select(Organisation).where(Organisation.id.in_(organisation_ids)))}
    return [found[i] for i in organisation_ids if i in found]


def role_titles(query: str, limit: int = 10) -> list[str]:
    """Type-ahead for the filter's role title: the titles in use that start with what was typed (or have a
    word that does: "Vice-Chair" for "ch"), the commonest first."""
    typed = " ".join(query.split()).lower()
    if not typed:
        return []
    pattern = _escape_like(typed)
    return list(
        db.session.scalars(
            select(Role.title)
            .where(or_(*(func.lower(Role.title).like(f"{start}{pattern}%", escape="\\") for start in ("", "% ", "%-"))))
            .group_by(Role.title)
            .order_by(func.count().desc(), Role.title)
            .limit(limit)
        )
    )


def lookup_people(query: str, limit: int = 10) -> list[Person]:
    """Type-ahead: the best few active people for what has been typed so far."""
    condition = people_text_condition(query)
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
