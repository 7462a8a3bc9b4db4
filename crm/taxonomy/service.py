"""Vocabulary management: the lists an admin edits instead of code changes."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from crm.audit import service as audit
from crm.auth.models import User
from crm.data_version import report_data_changed
from crm.errors import Conflict, InvalidInput, NotFound
from crm.extensions import db
from crm.taxonomy.defaults import (
    DEFAULT_CATEGORIES,
    DEFAULT_ORGANISATION_TYPES,
    DEFAULT_OUTCOMES,
    DEFAULT_OUTREACH_KINDS,
)
from crm.taxonomy.models import (
    OUTCOME_EFFECTS,
    Category,
    OrganisationType,
    OutreachKind,
    ResponseOutcome,
    Tag,
    organisation_tag,
    person_tag,
)

# A list's name, model and the columns that point at it.
KINDS = {
    "categories": ("Person categories", Category),
    "organisation-types": ("Organisation types", OrganisationType),
    "tags": ("Tags", Tag),
    "outreach-kinds": ("Outreach kinds", OutreachKind),
    "outcomes": ("Response outcomes", ResponseOutcome),
}


def ensure_defaults() -> None:
    """Add the built-in entries that are missing, matched by code: a renamed one is not re-added."""
    for model, defaults in ((Category, DEFAULT_CATEGORIES), (OrganisationType, DEFAULT_ORGANISATION_TYPES)):
        codes = set(db.session.scalars(select(model.code)))
        names = {name.lower() for name in db.session.scalars(select(model.name))}
        for position, (name, code) in enumerate(defaults):
            if code not in codes and name.lower() not in names:
                db.session.add(model(name=name, code=code, position=position))
    for model, defaults, extra in (
        (OutreachKind, DEFAULT_OUTREACH_KINDS, "reply_after_days"),
        (ResponseOutcome, DEFAULT_OUTCOMES, "effect"),
    ):
        codes = set(db.session.scalars(select(model.code)))
        names = {name.lower() for name in db.session.scalars(select(model.name))}
        for position, (name, code, value) in enumerate(defaults):
            if code not in codes and name.lower() not in names:
                db.session.add(model(name=name, code=code, position=position, **{extra: value}))
    db.session.flush()
    report_data_changed()


def category_by_code(code: str) -> Category | None:
    return db.session.scalar(select(Category).where(Category.code == code))


def categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.position, Category.name)))


def organisation_types() -> list[OrganisationType]:
    return list(db.session.scalars(select(OrganisationType).order_by(OrganisationType.position, OrganisationType.name)))


def outreach_kinds() -> list[OutreachKind]:
    return list(db.session.scalars(select(OutreachKind).order_by(OutreachKind.position, OutreachKind.name)))


def outcomes() -> list[ResponseOutcome]:
    return list(db.session.scalars(select(ResponseOutcome).order_by(ResponseOutcome.position, ResponseOutcome.name)))


def kind_by_code(code: str) -> OutreachKind | None:
    return db.session.scalar(select(OutreachKind).where(OutreachKind.code == code))


def outcome_by_code(code: str) -> ResponseOutcome | None:
    return db.session.scalar(select(ResponseOutcome).where(ResponseOutcome.code == code))


def type_by_code(code: str) -> OrganisationType | None:
    return db.session.scalar(select(OrganisationType).where(OrganisationType.code == code))


def tags_with_counts() -> list[tuple[Tag, int, int]]:
    people = select(func.count()).where(person_tag.c.tag_id == Tag.id).scalar_subquery()
    organisations = select(func.count()).where(organisation_tag.c.tag_id == Tag.id).scalar_subquery()
    return [tuple(row) for row in db.session.execute(select(Tag, people, organisations).order_by(Tag.key))]


def all_tags() -> list[Tag]:
    return list(db.session.scalars(select(Tag).order_by(Tag.key)))


_NAME_LENGTH = Tag.__table__.c.name.type.length
_KEY_LENGTH = Tag.__table__.c.key.type.length


@lru_cache(maxsize=4096)  # an import asks for the same few tags on every row
def tag_key(name: str) -> str:
    """What makes two tag names one tag: "Urgent" and "urgent " are the same."""
    return " ".join(name.split()).casefold()[:_KEY_LENGTH]


def get_or_create_tags(names: Iterable[str]) -> dict[str, tuple[int, str]]:
    """key → (id, name) of the tags with these names; the missing ones are created.

    Every tag a record is given comes through here (the services' resolve_tags and the import's
    bulk writer alike), so an import that updates someone and creates others never inserts one
    key twice. Another transaction creating the same tag meanwhile is no error either: INSERT …
    ON CONFLICT DO NOTHING skips a key it has written (PostgreSQL waits for it to end first,
    SQLite for its write lock), and the SELECT after it reads the row whoever wrote it."""
    wanted: dict[str, str] = {}
    for name in names:
        key = tag_key(name)
        if key:
            wanted.setdefault(key, " ".join(name.split())[:_NAME_LENGTH])
    if not wanted:
        return {}
    found = _tags_by_key(wanted)
    # In key order: two transactions inserting several new tags then wait on each other in
    # the same order, never in a deadlock.
    missing = [{"name": wanted[key], "key": key} for key in sorted(wanted) if key not in found]
    if missing:
        table = Tag.__table__
        insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
        db.session.execute(insert(table).on_conflict_do_nothing(index_elements=[table.c.key]), missing)
        found |= _tags_by_key([row["key"] for row in missing])
    return found


def _tags_by_key(keys: Iterable[str]) -> dict[str, tuple[int, str]]:
    query = select(Tag.key, Tag.id, Tag.name).where(Tag.key.in_(list(keys)))
    return {key: (tag_id, name) for key, tag_id, name in db.session.execute(query)}


def resolve_tags(names: list[str]) -> list[Tag]:
    """Existing tags by case-folded name, new ones created (see get_or_create_tags)."""
    found = get_or_create_tags(names)
    if not found:
        return []
    tags = {tag.id: tag for tag in db.session.scalars(select(Tag).where(Tag.id.in_([i for i, _ in found.values()])))}
    return [tags[tag_id] for tag_id, _name in found.values()]


def get_item(kind: str, item_id: int):
    _, model = KINDS[kind]
    item = db.session.get(model, item_id)
    if item is None:
        raise NotFound(f"No such entry in {KINDS[kind][0].lower()}.")
    return item


def _details(kind: str, description: str, reply_after_days: int | None, effect: str | None) -> dict:
    """The fields beyond the name that some lists have, checked."""
    if kind == "categories":
        return {"description": (description or "").strip()[:300]}
    if kind == "outreach-kinds":
        if reply_after_days is None or not 1 <= reply_after_days <= 365:
            raise InvalidInput("Give the number of days a reply may take (1 to 365).", "reply_after_days")
        return {"reply_after_days": reply_after_days}
    if kind == "outcomes":
        if effect not in OUTCOME_EFFECTS:
            raise InvalidInput("Choose what the outcome counts as in reports.", "effect")
        return {"effect": effect}
    return {}


def save_item(
    kind: str,
    name: str,
    *,
    actor: User,
    item_id: int | None = None,
    description: str = "",
    reply_after_days: int | None = None,
    effect: str | None = None,
):
    """Create or rename a vocabulary entry; names are unique regardless of case.

    A new reply time for an outreach kind applies to outreach logged from then on."""
    title, model = KINDS[kind]
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("A name is required.", "name")
    limit = model.name.type.length
    if len(name) > limit:
        raise InvalidInput(f"At most {limit} characters.", "name")
    clash = db.session.scalar(select(model).where(func.lower(model.name) == name.lower(), model.id != (item_id or 0)))
    if clash:
        raise Conflict(f"“{clash.name}” is already in {title.lower()}.", "name")
    details = _details(kind, description, reply_after_days, effect)
    item = get_item(kind, item_id) if item_id else model()
    before = {"name": item.name, **{field: getattr(item, field) for field in details}} if item_id else {}
    item.name = name
    if kind == "tags":
        item.key = tag_key(name)
    for field, value in details.items():
        setattr(item, field, value)
    if item_id is None:
        db.session.add(item)
    db.session.flush()
    report_data_changed()
    after = {"name": name, **details}
    audit.record(kind, item.id, "update" if item_id else "create", audit.diff(before, after), actor=actor)
    return item


def usage_count(kind: str, item) -> int:
    """How many rows point at the entry, found through the foreign keys of every table in the
    metadata: the people, organisations, outreach and replies that use a list entry are defined
    by features after taxonomy, which it must not import."""
    table = type(item).__table__
    used = 0
    for referring in db.metadata.sorted_tables:
        for key in referring.foreign_keys:
            if key.column.table is table:
                used += db.session.scalar(select(func.count()).select_from(referring).where(key.parent == item.id)) or 0
    return used


def delete_item(kind: str, item_id: int, *, actor: User) -> str:
    """Delete an unused entry. Entries in use are refused: records would lose data silently."""
    item = get_item(kind, item_id)
    used = usage_count(kind, item)
    if used:
        raise Conflict(f"“{item.name}” is used by {used} record{'s' if used != 1 else ''}; rename it instead.")
    name = item.name
    db.session.delete(item)
    audit.record(kind, item_id, "delete", {"name": [name, None]}, actor=actor)
    db.session.flush()
    report_data_changed()
    return name
