"""Saved lists: a people-list filter kept under a name, for the whole team. Flushes, never commits.

A list is live (its filter is run again each time: "DROI members" stays the subcommittee's members) or
frozen (the people it matched when it was saved: "who we wrote to in March"). Either is used wherever a
filter is, by the people list's own argument `list_id` (crm.contacts.search): the list, exports, outreach,
email, letters and the scorecard. Every staff member sees every list; editors create, rename and delete
them, each change in the audit log. Names are unique whatever their case.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import delete, func, insert, literal, select, update

from crm.audit import service as audit
from crm.auth.models import User
from crm.contacts.models import SAVED_LIST_KINDS, Person, SavedList, SavedListMember
from crm.contacts.search import PeopleFilter, people_query
from crm.errors import Conflict, InvalidInput, NotFound
from crm.extensions import db
from crm.timeutil import utcnow

NAME_LENGTH = 120
KIND_LABELS = {
    "live": "Live: the filter runs again each time, so the list follows the data",
    "frozen": "Frozen: exactly these people, as the list matches them now",
}


def clean_name(name: str | None) -> str:
    return " ".join((name or "").split())


def name_key(name: str) -> str:
    """What makes two names the same list: "DROI Members" is "droi members"."""
    return clean_name(name).casefold()


def get_list(list_id: int) -> SavedList:
    saved = db.session.get(SavedList, list_id)
    if saved is None:
        raise NotFound(f"There is no saved list #{list_id}.")
    return saved


def find_list(name_or_id: str) -> SavedList:
    """A list by its id or its name (case aside), for the command line."""
    text = clean_name(name_or_id)
    saved = db.session.scalar(select(SavedList).where(SavedList.name_key == name_key(text)))
    if saved is None and text.isdigit():
        saved = db.session.get(SavedList, int(text))
    if saved is None:
        raise NotFound(f"There is no saved list “{text}”.")
    return saved


def all_lists() -> list[SavedList]:
    return list(db.session.scalars(select(SavedList).order_by(SavedList.name_key)))


def _check_name(name: str, *, own_id: int | None = None) -> str:
    name = clean_name(name)
    if not name:
        raise InvalidInput("Give the list a name.", "name")
    if len(name) > NAME_LENGTH:
        raise InvalidInput(f"A name has at most {NAME_LENGTH} characters.", "name")
    clash = db.session.scalar(select(SavedList).where(SavedList.name_key == name_key(name)))
    if clash is not None and clash.id != own_id:
        raise Conflict(f"There is a saved list “{clash.name}” already: choose another name.", "name")
    return name


def list_filter(filters: PeopleFilter) -> PeopleFilter:
    """What a list keeps of a filter: everything but the order and the page."""
    return replace(filters, sort="name")


def create_list(name: str, kind: str, filters: PeopleFilter, *, actor: User | None) -> SavedList:
    """Save `filters` as a list; a frozen one keeps the ids of the people they match now."""
    name = _check_name(name)
    if kind not in SAVED_LIST_KINDS:
        raise InvalidInput("Choose live or frozen.", "kind")
    filters = list_filter(filters)
    saved = SavedList(
        name=name,
        name_key=name_key(name),
        kind=kind,
        query=filters.query_string(),
        owner_id=actor.id if actor else None,
    )
    db.session.add(saved)
    db.session.flush()
    if saved.frozen:
        matching = people_query(filters).with_only_columns(literal(saved.id), Person.id).order_by(None)
        db.session.execute(
            insert(SavedListMember).from_select([SavedListMember.saved_list_id, SavedListMember.person_id], matching)
        )
        saved.person_count = _member_count(saved.id)
    audit.record(
        "saved_list",
        saved.id,
        "create",
        audit.diff(
            {}, {"name": name, "kind": kind, "filter": filters.describe(), "people": saved.person_count or None}
        ),
        actor=actor,
    )
    db.session.flush()
    return saved


def rename_list(saved: SavedList, name: str, *, actor: User | None) -> SavedList:
    before = saved.name
    saved.name = _check_name(name, own_id=saved.id)
    saved.name_key = name_key(saved.name)
    if saved.name != before:
        saved.updated_at = utcnow()
        audit.record("saved_list", saved.id, "rename", {"name": [before, saved.name]}, actor=actor)
    db.session.flush()
    return saved


def delete_list(saved: SavedList, *, actor: User | None) -> None:
    """Delete the list (its people stay, of course); live lists made from it then match nobody."""
    changes = {"name": [saved.name, None], "kind": [saved.kind, None], "filter": [describe_source(saved), None]}
    if saved.frozen:
        changes["people"] = [_member_count(saved.id), None]
    db.session.execute(delete(SavedListMember).where(SavedListMember.saved_list_id == saved.id))
    audit.record("saved_list", saved.id, "delete", changes, actor=actor)
    db.session.delete(saved)
    db.session.flush()


def lists_using(saved: SavedList) -> list[SavedList]:
    """Live lists whose filter names this list: deleting it leaves them matching nobody."""
    return [
        other
        for other in db.session.scalars(select(SavedList).where(SavedList.kind == "live", SavedList.id != saved.id))
        if PeopleFilter.from_query_string(other.query).list_id == saved.id
    ]


def source_filter(saved: SavedList) -> PeopleFilter:
    """The filter the list was saved from (a frozen list's people were chosen by it)."""
    return PeopleFilter.from_query_string(saved.query)


def describe_source(saved: SavedList) -> str:
    return source_filter(saved).describe()


def people_filter(saved: SavedList, **changes) -> PeopleFilter:
    """The filter that shows a list's people: `list_id`, and for a live list the archived state it was saved
    with (a live list of archived people opens on them); frozen lists open on the active ones."""
    archived = source_filter(saved).archived if not saved.frozen else "active"
    return replace(PeopleFilter(list_id=saved.id, archived=archived), **changes)


def count_people(saved: SavedList, archived: str | None = None) -> int:
    """How many people the list shows (`archived`: whose, by default as the list opens)."""
    filters = people_filter(saved) if archived is None else people_filter(saved, archived=archived)
    return count_matching(filters)


def count_matching(filters: PeopleFilter) -> int:
    query = people_query(filters).with_only_columns(Person.id).order_by(None)
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def _member_count(list_id: int) -> int:
    return db.session.scalar(select(func.count()).where(SavedListMember.saved_list_id == list_id)) or 0


@dataclass
class FrozenState:
    """What became of a frozen list's people since it was saved."""

    saved: int  # people when it was saved
    active: int
    archived: list[Person]  # archived since (erased people among them: an erased person is archived)
    merged: list[tuple[Person, int]]  # (the person kept, the id of the record saved), a merge of duplicates
    deleted: int  # no longer in the database (an import undone)


def frozen_state(saved: SavedList, *, limit: int = 200) -> FrozenState:
    rows = db.session.execute(
        select(Person, SavedListMember.merged_from_id)
        .join(SavedListMember, SavedListMember.person_id == Person.id)
        .where(SavedListMember.saved_list_id == saved.id)
        .where((Person.archived.is_(True)) | (SavedListMember.merged_from_id.is_not(None)))
        .order_by(Person.sort_key, Person.id)
    ).all()
    members = _member_count(saved.id)
    archived = [person for person, _ in rows if person.archived]
    merged = [(person, merged_from) for person, merged_from in rows if merged_from is not None]
    return FrozenState(
        saved=saved.person_count,
        active=members - len(archived),
        archived=archived[:limit],
        merged=merged[:limit],
        deleted=max(0, saved.person_count - members),
    )


def move_members(keep: Person, other: Person) -> list[str]:
    """A merge of duplicates: `other`'s place in frozen lists goes to `keep` (once per list). Returns the
    names of the lists, for the merge's audit entry."""
    rows = db.session.execute(
        select(SavedListMember.saved_list_id, SavedList.name)
        .join(SavedList, SavedList.id == SavedListMember.saved_list_id)
        .where(SavedListMember.person_id == other.id)
        .order_by(SavedList.name_key)
    ).all()
    if not rows:
        return []
    list_ids = [list_id for list_id, _ in rows]
    already = set(
        db.session.scalars(
            select(SavedListMember.saved_list_id).where(
                SavedListMember.person_id == keep.id, SavedListMember.saved_list_id.in_(list_ids)
            )
        )
    )
    if already:
        db.session.execute(
            delete(SavedListMember).where(
                SavedListMember.person_id == other.id, SavedListMember.saved_list_id.in_(already)
            )
        )
    db.session.execute(
        update(SavedListMember)
        .where(SavedListMember.person_id == other.id)
        .values(person_id=keep.id, merged_from_id=func.coalesce(SavedListMember.merged_from_id, other.id))
    )
    return [name for _, name in rows]
