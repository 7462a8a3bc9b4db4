"""An invitation's people: found among the contacts by email, or added as new people if the editor asks."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from crm.agenda.invites import Attendee
from crm.auth.models import User
from crm.contacts.data import EmailData, PersonData
from crm.contacts.models import EmailAddress, Person
from crm.contacts.people import create_person
from crm.extensions import db


@dataclass
class MatchedAttendees:
    people: list[tuple[Person, Attendee]]  # contacts found by one of their addresses
    unknown: list[Attendee]  # nobody in the CRM has the address
    staff: list[Attendee]  # our own colleagues: not contacts, left off the entry


def match_attendees(attendees: list[Attendee]) -> MatchedAttendees:
    """Match by address, ignoring case; a person with two of the addresses is on the list once."""
    addresses = [attendee.email for attendee in attendees]
    staff_addresses = set(
        db.session.scalars(select(func.lower(User.email)).where(func.lower(User.email).in_(addresses)))
    )
    # Contacts' addresses are stored lower-cased (crm.values.normalise_email, for forms and imports alike),
    # so a plain comparison matches whatever the case and uses the index.
    owners: dict[str, Person] = {}
    if addresses:
        query = (
            select(EmailAddress.address, Person)
            .join(Person, EmailAddress.person_id == Person.id)
            .where(EmailAddress.address.in_(addresses))
            .order_by(Person.archived, Person.id)
        )
        for address, person in db.session.execute(query):
            owners.setdefault(address, person)
    people, unknown, staff, seen = [], [], [], set()
    for attendee in attendees:
        person = owners.get(attendee.email)
        if person is not None:
            if person.id not in seen:
                seen.add(person.id)
                people.append((person, attendee))
        elif attendee.email in staff_addresses:
            staff.append(attendee)
        else:
            unknown.append(attendee)
    return MatchedAttendees(people, unknown, staff)


def split_name(name: str, email: str) -> tuple[str, str]:
    """(family, given) from an invitation's display name: "Kelam, Tunne", "Tunne Kelam", or the address."""
    name = " ".join(name.split())
    if "," in name:
        family, _, given = name.partition(",")
        return family.strip()[:200] or email, given.strip()[:200]
    if not name:
        return email.split("@")[0][:200], ""
    given, _, family = name.rpartition(" ")
    return family[:200], given[:200]


def add_people(attendees: list[Attendee], *, source: str, actor: User | None) -> list[Person]:
    """New people for the addresses the editor chose, each with their address; flushes, the caller commits."""
    people = []
    for attendee in attendees:
        family, given = split_name(attendee.name, attendee.email)
        data = PersonData(family_name=family, given_name=given, source=source, emails=[EmailData(attendee.email)])
        people.append(create_person(data, actor=actor))
    return people
