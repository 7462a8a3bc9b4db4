"""The person page's person, with everything the page shows already loaded: the template loads nothing.

Each collection is read by a statement built once (`@cache`, values bound at execution) and set on the
person as loaded: the statements selectinload would run."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from crm.contacts.models import EmailAddress, Organisation, Person, PhoneNumber, PostalAddress, Role
from crm.errors import NotFound
from crm.extensions import db
from crm.taxonomy.models import Tag, person_tag


# Built once, not as selectinload options, which rebuild them per request: measurably slower in outreach_bench.
@cache
def _statements() -> tuple[Select, dict[str, Select]]:
    person_id = bindparam("person_id")
    person = (
        select(Person)
        .where(Person.id == person_id)
        .options(joinedload(Person.category), joinedload(Person.created_by), joinedload(Person.updated_by))
    )
    # Ordered as the relationships order them.
    collections = {
        "emails": select(EmailAddress).where(EmailAddress.person_id == person_id).order_by(EmailAddress.position),
        "phones": select(PhoneNumber).where(PhoneNumber.person_id == person_id).order_by(PhoneNumber.position),
        "addresses": (
            select(PostalAddress).where(PostalAddress.person_id == person_id).order_by(PostalAddress.position)
        ),
        "tags": (
            select(Tag)
            .join(person_tag, person_tag.c.tag_id == Tag.id)
            .where(person_tag.c.person_id == person_id)
            .order_by(Tag.key)
        ),
        "roles": (
            select(Role)
            .where(Role.person_id == person_id)
            .options(joinedload(Role.organisation).joinedload(Organisation.type))
        ),
    }
    return person, collections


def get_person_page(person_id: int) -> Person:
    """The person with their category, who added and last changed them, contact points, tags and roles
    (with each organisation and its type): one statement for the person, one per collection."""
    statement, collections = _statements()
    values = {"person_id": person_id}
    person = db.session.scalars(statement, values).one_or_none()
    if person is None:
        raise NotFound(f"There is no person with id {person_id}.")
    for name, query in collections.items():
        set_committed_value(person, name, list(db.session.scalars(query, values)))
    return person
