"""Who an email goes to: the people of a list filter, of an outreach entry, or picked by hand, and who is left out.

Left out, and listed before anything is sent: people with no email address, archived people, people
who asked not to be contacted, and (when the text greets them) people with no salutation for their
language and honorific, unless staff chose to send to the others only.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import selectinload

from crm.contacts.models import EmailAddress, Person, Role
from crm.outreach import recipients
from crm.outreach.recipients import PeopleSource
from crm.outreach.service import MAX_PARTICIPANTS
from crm.salutations.service import Greeting, SalutationBook

MAX_RECIPIENTS = MAX_PARTICIPANTS  # the email is logged as one outreach entry


# Email's name for where its people come from (crm.outreach.recipients, shared with letters).
AudienceSource = PeopleSource


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
    return recipients.chosen_person_ids(source, MAX_RECIPIENTS + 1)


def _load(ids: list[int]) -> list[Person]:
    return recipients.load_people(
        ids,
        selectinload(Person.emails),
        selectinload(Person.roles).selectinload(Role.organisation),
        selectinload(Person.category),
    )


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
    return recipients.pickable_people(EmailAddress, EmailAddress.address, limit)
