"""People this import has written already, read back as the writer holds the ones still to write.

A later row of a file may fill someone an earlier row created after that person's chunk went
to the database. Their state is what the import wrote, unless staff edited them since (the
import commits in chunks): those are left out here, and the writer updates them as anyone
already here. The rest are read back in a few statements for all such people at once, rather
than one ORM load and update each (a 100 000-row file has thousands of them).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from sqlalchemy import select

from crm.contacts.data import AddressData, EmailData, PersonData, PhoneData
from crm.contacts.models import EmailAddress, ExternalId, Organisation, Person, PhoneNumber, PostalAddress, Role
from crm.extensions import db
from crm.imports.affiliations import KnownOrganisation
from crm.sql.rows import among
from crm.taxonomy.models import Tag, person_tag


def read_back(
    person_ids: Collection[int], *, lock: bool
) -> dict[int, tuple[PersonData, list[KnownOrganisation], bool]]:
    """person id → (their data, the organisations of their roles, whether they have an external id),
    for those still as the import wrote them (version 1); `lock` reads them FOR UPDATE."""
    ids = list(person_ids)
    people = Person.__table__.c
    found: dict[int, tuple[PersonData, list[KnownOrganisation], bool]] = {}
    query = select(Person.__table__).where(among(people.id, ids), people.version == 1)
    for row in db.session.execute(query.with_for_update() if lock else query).mappings():
        data = PersonData(
            family_name=row["family_name"],
            given_name=row["given_name"],
            patronymic=row["patronymic"],
            honorific=row["honorific"],
            native_name=row["native_name"],
            country=row["country"],
            languages=[code for code in row["languages"].split(",") if code],
            category_id=row["category_id"],
            notes=row["notes"],
            source=row["source"],
            lawful_basis=row["lawful_basis"],
        )
        found[row["id"]] = (data, [], False)
    ids = list(found)
    points = (
        (EmailAddress, lambda r: EmailData(r.address, r.label, r.is_primary), "emails"),
        (PhoneNumber, lambda r: PhoneData(r.number, r.label, r.is_primary), "phones"),
        (
            PostalAddress,
            lambda r: AddressData(r.street, r.postcode, r.city, r.country, r.label, r.is_primary),
            "addresses",
        ),
    )
    for model, build, attribute in points:
        query = select(model.__table__).where(among(model.person_id, ids)).order_by(model.person_id, model.position)
        for row in db.session.execute(query):
            getattr(found[row.person_id][0], attribute).append(build(row))
    tags = select(person_tag.c.person_id, Tag.name).join(Tag, Tag.id == person_tag.c.tag_id)
    for person_id, name in db.session.execute(tags.where(among(person_tag.c.person_id, ids)).order_by(Tag.key)):
        found[person_id][0].tags.append(name)
    roles = select(Role.person_id, Organisation.id, Organisation.name, Organisation.short_name).join(Organisation)
    for person_id, *organisation in db.session.execute(roles.where(among(Role.person_id, ids)).order_by(Role.id)):
        found[person_id][1].append(KnownOrganisation(*organisation))
    with_ids: defaultdict[int, bool] = defaultdict(bool)
    for (person_id,) in db.session.execute(select(ExternalId.person_id).where(among(ExternalId.person_id, ids))):
        with_ids[person_id] = True
    return {person_id: (data, roles, with_ids[person_id]) for person_id, (data, roles, _) in found.items()}
