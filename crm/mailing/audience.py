"""Who an email goes to: the people of a list filter, of an outreach entry, or picked by hand, and who is left out.

Left out, and listed before anything is sent: people with no email address, archived people, people
who asked not to be contacted, and (when the text greets them) people with no salutation for their
language and honorific, unless staff chose to send to the others only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from crm.contacts.models import EmailAddress, Person, Role
from crm.contacts.search import PeopleFilter, people_ids
from crm.extensions import db
from crm.outreach.models import REPLY_ROLES, Participant
from crm.outreach.service import MAX_PARTICIPANTS
from crm.salutations.service import Greeting, SalutationBook

MAX_RECIPIENTS = MAX_PARTICIPANTS  # the email is logged as one outreach entry


@dataclass
class AudienceSource:
    """Where the recipients come from; several sources add up."""

    people_filter: str = ""  # the people list's query string ("q=mep&country=CZ")
    outreach_id: int | None = None  # that entry's recipients
    person_ids: list[int] = field(default_factory=list)  # picked by hand

    @property
    def empty(self) -> bool:
        return not (self.people_filter or self.outreach_id or self.person_ids)

    def describe(self) -> str:
        parts = []
        if self.people_filter:
            parts.append(f"people list: {PeopleFilter.from_args(MultiDict(parse_qsl(self.people_filter))).describe()}")
        if self.outreach_id:
            parts.append(f"recipients of outreach #{self.outreach_id}")
        if self.person_ids:
            parts.append(f"{len(self.person_ids)} picked by hand")
        return "; ".join(parts)


@dataclass
class Recipient:
    person: Person
    address: str
    greeting: Greeting


@dataclass
class Exclusion:
    person: Person
    reason: str


@dataclass
class Audience:
    included: list[Recipient]
    excluded: list[Exclusion]
    # Included people the text would greet with a salutation nobody has written for them.
    no_salutation: list[Recipient]
    too_many: bool = False

    def recipient(self, person_id: int | None) -> Recipient | None:
        return next((r for r in self.included if r.person.id == person_id), self.included[0] if self.included else None)


def chosen_person_ids(source: AudienceSource) -> list[int]:
    ids: list[int] = []
    if source.people_filter:
        filters = PeopleFilter.from_args(MultiDict(parse_qsl(source.people_filter)))
        ids += people_ids(filters, MAX_RECIPIENTS + 1)
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
    return list(dict.fromkeys(ids))  # once each, in the order they came


def _load(ids: list[int]) -> list[Person]:
    people = {}
    for start in range(0, len(ids), 500):  # stays under every database's limit of bound values
        statement = (
            select(Person)
            .where(Person.id.in_(ids[start : start + 500]))
            .options(
                selectinload(Person.emails),
                selectinload(Person.roles).selectinload(Role.organisation),
                selectinload(Person.category),
            )
        )
        people.update({person.id: person for person in db.session.scalars(statement)})
    return [people[i] for i in ids if i in people]


def email_of(person: Person) -> str | None:
    """The primary address, else the first one."""
    return person.primary_email or next((e.address for e in person.emails if e.address), None)


def resolve(source: AudienceSource, *, greets: bool, skip_no_salutation: bool = False) -> Audience:
    ids = chosen_person_ids(source)
    too_many = len(ids) > MAX_RECIPIENTS
    book = SalutationBook()
    included: list[Recipient] = []
    excluded: list[Exclusion] = []
    no_salutation: list[Recipient] = []
    for person in _load(ids[:MAX_RECIPIENTS]):
        address = email_of(person)
        if person.archived:
            excluded.append(Exclusion(person, "archived"))
        elif person.do_not_contact:
            excluded.append(Exclusion(person, "marked “do not contact”"))
        elif not address:
            excluded.append(Exclusion(person, "no email address"))
        else:
            recipient = Recipient(person, address, book.greeting(person))
            if greets and recipient.greeting.missing:
                if skip_no_salutation:
                    reason = f"no salutation for {recipient.greeting.describe}"
                    excluded.append(Exclusion(person, reason))
                    continue
                no_salutation.append(recipient)
            included.append(recipient)
    return Audience(included, excluded, no_salutation, too_many)


def pickable_people(limit: int = 2000) -> list[tuple[int, str]]:
    """(id, "Family, Given — address") of people one may write to, for the compose page's hand-picked list."""
    rows = db.session.execute(
        select(Person.id, Person.family_name, Person.given_name, EmailAddress.address)
        .join(EmailAddress, EmailAddress.person_id == Person.id)
        .where(Person.archived.is_(False), Person.do_not_contact.is_(False))
        .order_by(Person.sort_key, Person.id, EmailAddress.is_primary.desc(), EmailAddress.position)
        .limit(limit * 2)
    )
    choices: dict[int, str] = {}
    for person_id, family_name, given_name, address in rows:
        if person_id not in choices and len(choices) < limit:
            name = f"{family_name}, {given_name}" if given_name else family_name
            choices[person_id] = f"{name} — {address}"
    return list(choices.items())
