"""Whom staff write to, by email or on paper: the people of a people-list filter, an outreach entry's
recipients, people picked by hand, or (when none of these is chosen) a campaign's people.

crm.mailing and crm.letters both start here; each then leaves out whom its own medium cannot reach
(no email address, no postal address) and says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select

from crm.campaigns.models import Campaign
from crm.contacts.models import Person
from crm.contacts.search import PeopleFilter, people_ids
from crm.extensions import db
from crm.outreach.models import REPLY_ROLES, Outreach, Participant
from crm.taxonomy.models import Category

# A campaign's people: those who took part in its outreach, as recipients, authors or signatories.
CAMPAIGN_ROLES = ("to", "from", "signatory", "cc")
_IN_CLAUSE = 500  # ids per statement: under every database's limit of bound values


@dataclass
class PeopleSource:
    """Where the people come from; several sources add up."""

    people_filter: str = ""  # the people list's query string ("category_id=3&country=DE")
    outreach_id: int | None = None  # that entry's recipients
    person_ids: list[int] = field(default_factory=list)  # picked by hand
    campaign_id: int | None = None  # its people, when nothing else is chosen

    @property
    def chosen(self) -> bool:
        return bool(self.people_filter or self.outreach_id or self.person_ids)

    @property
    def empty(self) -> bool:
        return not (self.chosen or self.campaign_id)

    def describe(self) -> str:
        parts = []
        if self.people_filter:
            parts.append(f"people list: {PeopleFilter.from_query_string(self.people_filter).describe()}")
        if self.outreach_id:
            parts.append(f"recipients of outreach #{self.outreach_id}")
        if self.person_ids:
            parts.append(f"{len(self.person_ids)} picked by hand")
        if not parts and self.campaign_id:
            parts.append("the campaign's people")
        return "; ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "people_filter": self.people_filter,
            "outreach_id": self.outreach_id,
            "person_ids": self.person_ids,
            "campaign_id": self.campaign_id,
        }


def chosen_person_ids(source: PeopleSource, limit: int) -> list[int]:
    """The people's ids, once each, in the order they came; a filter or a campaign gives at most `limit`."""
    ids: list[int] = []
    if source.people_filter:
        ids += people_ids(PeopleFilter.from_query_string(source.people_filter), limit)
    if source.outreach_id:
        ids += db.session.scalars(
            select(Participant.person_id)
            .where(
                Participant.outreach_id == source.outreach_id,
                Participant.role.in_(REPLY_ROLES),
                Participant.person_id.is_not(None),
            )
            .order_by(Participant.id)
        )
    ids += source.person_ids
    if not source.chosen and source.campaign_id:
        ids += campaign_people(source.campaign_id, limit)
    return list(dict.fromkeys(ids))


def campaign_people(campaign_id: int, limit: int) -> list[int]:
    """Who took part in the campaign's outreach (not its subject, not our own staff), in name order."""
    campaign = db.session.get(Campaign, campaign_id)
    staff = select(Category.id).where(Category.code == "foundation_staff").scalar_subquery()
    statement = (
        select(Person.id)
        .join(Participant, Participant.person_id == Person.id)
        .join(Outreach, Outreach.id == Participant.outreach_id)
        .where(
            Outreach.campaign_id == campaign_id,
            Participant.role.in_(CAMPAIGN_ROLES),
            or_(Person.category_id.is_(None), Person.category_id != staff),
        )
        .group_by(Person.id, Person.sort_key)
        .order_by(Person.sort_key, Person.id)
    )
    if campaign is not None and campaign.subject_person_id:
        statement = statement.where(Person.id != campaign.subject_person_id)
    return list(db.session.scalars(statement.limit(limit)))


def names_of(ids: list[int]) -> list[tuple[int, str]]:
    """(id, "Family, Given") of the people of `ids` that exist, in that order: a list to review."""
    names: dict[int, str] = {}
    for start in range(0, len(ids), _IN_CLAUSE):
        rows = db.session.execute(
            select(Person.id, Person.family_name, Person.given_name, Person.native_name).where(
                Person.id.in_(ids[start : start + _IN_CLAUSE])
            )
        )
        for person_id, family, given, native in rows:
            name = ", ".join(part for part in (family, given) if part) or native
            names[person_id] = name
    return [(i, names[i]) for i in ids if i in names]


def load_people(ids: list[int], *options: Any) -> list[Person]:
    """The people of `ids`, in that order, with `options` (the relations the medium needs) loaded."""
    people = {}
    for start in range(0, len(ids), _IN_CLAUSE):
        statement = select(Person).where(Person.id.in_(ids[start : start + _IN_CLAUSE])).options(*options)
        people.update({person.id: person for person in db.session.scalars(statement)})
    return [people[i] for i in ids if i in people]


def pickable_people(reachable_by: Any, detail: Any, limit: int = 2000) -> list[tuple[int, str]]:
    """(id, "Family, Given — detail") of people who may be written to and have a `reachable_by` row
    (EmailAddress, PostalAddress; `detail` its column shown, primary first), for a hand-picked list."""
    rows = db.session.execute(
        select(Person.id, Person.family_name, Person.given_name, detail)
        .join(reachable_by, reachable_by.person_id == Person.id)
        .where(Person.archived.is_(False), Person.do_not_contact.is_(False))
        .order_by(Person.sort_key, Person.id, reachable_by.is_primary.desc(), reachable_by.position)
        .limit(limit * 2)
    )
    choices: dict[int, str] = {}
    for person_id, family_name, given_name, shown in rows:
        if person_id not in choices and len(choices) < limit:
            name = f"{family_name}, {given_name}" if given_name else family_name
            choices[person_id] = f"{name} — {shown}" if shown else name
    return list(choices.items())
