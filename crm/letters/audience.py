"""Whom letters go to: a people-list filter, an outreach entry's recipients, people picked by hand, or
(when none of these is given) the campaign's people; and who is left out, and why.

Its own thin version of the mailing's audience (a sibling feature), on the same lower functions: the
people list's filter (crm.contacts.search) and the outreach participants. Left out, and listed before
anything is merged: archived people, people marked "do not contact", people with no postal address,
and (when the template greets them) people with no salutation in any language the letter could be in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from crm.campaigns.models import Campaign
from crm.contacts.models import Person, PostalAddress, Role
from crm.contacts.search import PeopleFilter, people_ids
from crm.errors import InvalidInput
from crm.extensions import db
from crm.letters.addresses import address_block
from crm.outreach.models import Outreach, Participant
from crm.outreach.service import MAX_PARTICIPANTS
from crm.salutations.service import Greeting, SalutationBook
from crm.taxonomy.models import Category, Tag

MAX_LETTERS = MAX_PARTICIPANTS  # a merge may be logged as one outreach entry
# The campaign's people: those who took part in its outreach, as recipients, authors or signatories.
CAMPAIGN_ROLES = ("to", "from", "signatory", "cc")
FILTER_KEYS = {"q", "category_id", "country", "organisation_id", "political_group_id", "tag_id", "archived", "contact"}


@dataclass
class LetterSource:
    people_filter: str = ""  # the people list's query string ("category_id=3&country=DE")
    outreach_id: int | None = None  # that entry's recipients
    person_ids: list[int] = field(default_factory=list)  # picked by hand
    campaign_id: int | None = None  # its people, when nothing else is chosen

    @property
    def chosen(self) -> bool:
        return bool(self.people_filter or self.outreach_id or self.person_ids)

    def describe(self) -> str:
        parts = []
        if self.people_filter:
            parts.append(f"people list: {PeopleFilter.from_args(MultiDict(parse_qsl(self.people_filter))).describe()}")
        if self.outreach_id:
            parts.append(f"recipients of outreach #{self.outreach_id}")
        if self.person_ids:
            parts.append(f"{len(self.person_ids)} picked by hand")
        if not parts and self.campaign_id:
            parts.append("the campaign's people")
        return "; ".join(parts)

    def as_dict(self) -> dict:
        return {
            "people_filter": self.people_filter,
            "outreach_id": self.outreach_id,
            "person_ids": self.person_ids,
            "campaign_id": self.campaign_id,
        }


def people_filter(expressions: list[str]) -> str:
    """`--people` expressions ("country=DE", "category=mep") as one people-list query string, their
    conditions combined as the list combines its filters; InvalidInput names a bad one."""
    pairs: list[tuple[str, str]] = []
    for expression in expressions:
        for key, value in parse_qsl(expression, keep_blank_values=True):
            key, value = key.strip(), value.strip()
            if key == "category":
                category = db.session.scalar(
                    select(Category).where(
                        or_(Category.code == value.lower(), func.lower(Category.name) == value.lower())
                    )
                )
                if category is None:
                    raise InvalidInput(f"There is no category “{value}”.", "people")
                key, value = "category_id", str(category.id)
            elif key == "tag":
                tag = db.session.scalar(select(Tag).where(func.lower(Tag.name) == value.lower()))
                if tag is None:
                    raise InvalidInput(f"There is no tag “{value}”.", "people")
                key, value = "tag_id", str(tag.id)
            elif key not in FILTER_KEYS:
                known = ", ".join(sorted(FILTER_KEYS | {"category", "tag"}))
                raise InvalidInput(f"“{expression}” is not a people-list filter (known: {known}).", "people")
            pairs.append((key, value))
        if not pairs:
            raise InvalidInput(f"“{expression}” is not a people-list filter (write key=value).", "people")
    return urlencode(pairs)


@dataclass
class Recipient:
    person: Person
    greeting: Greeting  # its language is the letter's
    address: str


@dataclass
class Exclusion:
    person: Person
    why: str


@dataclass
class Audience:
    included: list[Recipient]
    excluded: list[Exclusion]
    too_many: bool = False


def campaign_people(campaign_id: int) -> list[int]:
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
    return list(db.session.scalars(statement.limit(MAX_LETTERS + 1)))


def chosen_person_ids(source: LetterSource) -> list[int]:
    ids: list[int] = []
    if source.people_filter:
        ids += people_ids(PeopleFilter.from_args(MultiDict(parse_qsl(source.people_filter))), MAX_LETTERS + 1)
    if source.outreach_id:
        ids += db.session.scalars(
            select(Participant.person_id)
            .where(
                Participant.outreach_id == source.outreach_id,
                Participant.role == "to",
                Participant.person_id.is_not(None),
            )
            .order_by(Participant.id)
        )
    ids += source.person_ids
    if not source.chosen and source.campaign_id:
        ids += campaign_people(source.campaign_id)
    return list(dict.fromkeys(ids))  # once each, in the order they came


def load_people(ids: list[int]) -> list[Person]:
    people = {}
    for start in range(0, len(ids), 500):  # stays under every database's limit of bound values
        statement = (
            select(Person)
            .where(Person.id.in_(ids[start : start + 500]))
            .options(
                selectinload(Person.addresses),
                selectinload(Person.roles).selectinload(Role.organisation),
                selectinload(Person.category),
            )
        )
        people.update({person.id: person for person in db.session.scalars(statement)})
    return [people[i] for i in ids if i in people]


def letter_greeting(book: SalutationBook, person: Person, fallback_language: str) -> Greeting:
    """In the first of the person's languages that has a salutation, else in the fallback language."""
    languages = [code.strip() for code in (person.languages or "").split(",") if code.strip()]
    first = None
    for language in [*languages, fallback_language]:
        greeting = book.greeting(person, language)
        first = first or greeting
        if not greeting.missing:
            return greeting
    return first


def resolve(source: LetterSource, *, fallback_language: str, greets: bool) -> Audience:
    ids = chosen_person_ids(source)
    book = SalutationBook()
    included: list[Recipient] = []
    excluded: list[Exclusion] = []
    for person in load_people(ids[:MAX_LETTERS]):
        greeting = letter_greeting(book, person, fallback_language)
        address = address_block(person)
        if person.archived:
            excluded.append(Exclusion(person, "archived"))
        elif person.do_not_contact:
            excluded.append(Exclusion(person, "marked “do not contact”"))
        elif address is None:
            excluded.append(Exclusion(person, "no postal address"))
        elif greets and greeting.missing:
            excluded.append(Exclusion(person, f"no salutation for {greeting.describe}"))
        else:
            included.append(Recipient(person, greeting, address))
    return Audience(included, excluded, too_many=len(ids) > MAX_LETTERS)


def pickable_people(limit: int = 2000) -> list[tuple[int, str]]:
    """(id, "Family, Given — city") of people with a postal address, for the Letters page's hand-picked list."""
    rows = db.session.execute(
        select(Person.id, Person.family_name, Person.given_name, PostalAddress.city)
        .join(PostalAddress, PostalAddress.person_id == Person.id)
        .where(Person.archived.is_(False), Person.do_not_contact.is_(False))
        .order_by(Person.sort_key, Person.id, PostalAddress.is_primary.desc(), PostalAddress.position)
        .limit(limit * 2)
    )
    choices: dict[int, str] = {}
    for person_id, family_name, given_name, city in rows:
        if person_id not in choices and len(choices) < limit:
            name = f"{family_name}, {given_name}" if given_name else family_name
            choices[person_id] = f"{name} — {city}" if city else name
    return list(choices.items())
