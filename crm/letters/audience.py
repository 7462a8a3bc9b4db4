"""Whom letters go to: a people-list filter, an outreach entry's recipients, people picked by hand, or
(when none of these is given) the campaign's people; and who is left out, and why.

The people come from crm.outreach.recipients, as email's do. Left out, and listed before
anything is merged: archived people, people marked "do not contact", people with no postal address,
and (when the template greets them) people with no salutation in any language the letter could be in.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from crm.contacts.models import Person, PostalAddress, Role
from crm.contacts.saved_lists import find_list
from crm.errors import InvalidInput, NotFound
from crm.extensions import db
from crm.letters.addresses import address_block
from crm.outreach import recipients
from crm.outreach.recipients import PeopleSource
from crm.outreach.service import MAX_PARTICIPANTS
from crm.salutations.service import Greeting, SalutationBook
from crm.taxonomy.models import Category, Tag

MAX_LETTERS = MAX_PARTICIPANTS  # a merge may be logged as one outreach entry
FILTER_KEYS = {
    "q",
    "category_id",
    "country",
    "organisation_id",
    "political_group_id",
    "tag_id",
    "archived",
    "contact",
    "role",
    "on",
    "list_id",
}


# The letters' name for where their people come from (crm.outreach.recipients, shared with email).
LetterSource = PeopleSource


def people_filter(expressions: list[str]) -> str:
    """`--people` expressions ("country=DE", "category=mep", "list=DROI members") as one people-list query
    string, their conditions combined as the list combines its filters; InvalidInput names a bad one."""
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
            elif key == "list":
                try:
                    key, value = "list_id", str(find_list(value).id)
                except NotFound as error:
                    raise InvalidInput(str(error), "people") from None
            elif key not in FILTER_KEYS:
                known = ", ".join(sorted(FILTER_KEYS | {"category", "tag", "list"}))
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


def chosen_person_ids(source: LetterSource) -> list[int]:
    return recipients.chosen_person_ids(source, MAX_LETTERS + 1)


def load_people(ids: list[int]) -> list[Person]:
    return recipients.load_people(
        ids,
        selectinload(Person.addresses),
        selectinload(Person.roles).selectinload(Role.organisation),
        selectinload(Person.category),
    )


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
    return recipients.pickable_people(PostalAddress, PostalAddress.city, limit)
