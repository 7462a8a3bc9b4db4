"""One path creates a person or an organisation, by hand or by import (issue 12, fix 7).

The contacts services own the values of the row (search text, sort key, text cut to the
column's size) and the "create" audit entry; the import's bulk writer only batches the INSERTs.
"""

from __future__ import annotations

import pytest

from crm.audit.service import history
from crm.contacts import organisations, people
from crm.contacts.data import OrganisationData, PersonData, RoleData
from crm.contacts.models import Person
from crm.contacts.roles import add_role
from crm.contacts.search import PeopleFilter, search_people
from crm.extensions import db
from crm.imports.person_values import person_data_of
from crm.imports.pipeline import ImportOptions, run_import
from crm.taxonomy.service import type_by_code
from tests.factories import make_organisation
from tests.imports.test_pipeline import workbook

EPP = "Group of the European People's Party"
HEADER = ["Family name", "Given name", "Native name", "E-mail", "Phone", "Country", "Languages", "Category",
          "Political group", "Organisation", "Tags", "Notes", "Street", "Postcode", "City", "Source"]  # fmt: skip
ZDECHOVSKY = ["Zdechovský", "Tomáš", "", "tomas.zdechovsky@europarl.europa.eu", "+32 2 284 51 11", "CZ", "cs, en", "MEP",
              EPP, "European Parliament", "mep, EP-KZ", "Wrote to the Minister.", "Rue Wiertz 60", "1047",
              "Brussels", "EP website"]  # fmt: skip


@pytest.fixture
def epp(app):
    return make_organisation(EPP, short_name="EPP", type_code="political_group")


def imported(tmp_path, rows, **options) -> Person:
    result = run_import(workbook(tmp_path, rows, header=HEADER), ImportOptions(**options), actor=None)
    assert result.counts["created"] == len(rows), [row.errors for row in result.rows]
    db.session.expire_all()
    return db.session.get(Person, result.rows[0].id)


def test_imported_people_are_found_by_their_groups_acronym(epp, tmp_path, client, auth):
    person = imported(tmp_path, [ZDECHOVSKY])
    assert [p.id for p in search_people(PeopleFilter(q="EPP")).items] == [person.id]
    auth.login("viewer")
    page = client.get("/contacts/people?q=EPP").get_data(as_text=True)
    assert f"/contacts/people/{person.id}" in page


def test_an_imported_person_has_the_search_columns_and_audit_entry_of_a_hand_made_one(epp, tmp_path):
    person = imported(tmp_path, [ZDECHOVSKY])
    # The same person made by hand: the form's service, then their roles one by one.
    twin = people.create_person(person_data_of(person), actor=None, allow_shared_email=True)
    (made,) = history("person", twin.id)
    for role in sorted(person.roles, key=lambda role: role.id):
        add_role(twin, RoleData(role.organisation_id, role.title), actor=None)
    assert (person.search_text, person.sort_key) == (twin.search_text, twin.sort_key)
    assert " epp " in person.search_text

    (entry,) = history("person", person.id)
    assert (entry.action, entry.version, entry.actor_id) == ("create", 1, None)
    # The same entry, plus the roles the file gave them: by hand each is an "add role" entry of its own.
    assert {field: change for field, change in entry.changes.items() if field != "roles"} == made.changes
    assert entry.changes["roles"] == [
        None,
        ["European Parliament (… – now)", "Member, Group of the European People's Party (… – now)"],
    ]
    assert entry.changes["tags"] == [None, ["EP-KZ", "mep"]]
    assert entry.changes["addresses"] == [None, ["Rue Wiertz 60, 1047 Brussels, CZ"]]


def test_the_search_columns_stay_as_the_service_computes_them(epp, tmp_path):
    person = imported(tmp_path, [ZDECHOVSKY])
    stored = (person.search_text, person.sort_key)
    people.refresh_search(person)
    assert (person.search_text, person.sort_key) == stored


def test_every_imported_person_gets_a_create_entry_with_who_imported_them(app, staff, tmp_path, monkeypatch):
    monkeypatch.setattr("crm.imports.apply.CHUNK", 2)  # several chunks, each written in bulk
    names = [("Novák", "Jan"), ("Svoboda", "Petra"), ("Kowalski", "Łukasz"), ("Müller", "Jürgen"), ("Tóth", "Ágnes")]
    rows = [[family, given, f"person{n}@example.cz"] for n, (family, given) in enumerate(names)]
    path = workbook(tmp_path, rows, header=["Family name", "Given name", "E-mail"])
    result = run_import(path, ImportOptions(), actor=staff["editor"])
    assert result.counts["created"] == 5
    for row in result.rows:
        (entry,) = history("person", row.id)
        assert (entry.action, entry.actor_id, entry.version) == ("create", staff["editor"].id, 1)
        assert entry.changes["emails"] == [None, [f"person{row.row - 2}@example.cz"]]


def test_the_row_values_fit_the_columns_read_from_the_model(app):
    data = PersonData(family_name="Ж" * 500, given_name="x" * 500, source="s" * 500)
    values = people.person_row(data)
    for name in ("family_name", "given_name", "source"):
        assert len(values[name]) == Person.__table__.c[name].type.length
    assert values["sort_key"] and values["search_text"].startswith(" ")


def test_an_organisation_the_import_creates_is_one_the_service_would_make(app, tmp_path):
    person = imported(tmp_path, [ZDECHOVSKY[:9] + ["Freedom House"] + ZDECHOVSKY[10:]])
    made_here = {role.organisation.name: role.organisation for role in person.roles}
    freedom_house = made_here["Freedom House"]
    twin = organisations.create_organisation(
        OrganisationData(name="Freedom House", short_name=freedom_house.short_name), actor=None
    )
    assert (freedom_house.search_text, freedom_house.sort_key) == (twin.search_text, twin.sort_key)
    (entry,) = history("organisation", freedom_house.id)
    assert entry.action == "create" and entry.changes == history("organisation", twin.id)[0].changes

    group = made_here["EPP"]  # a group named by its acronym, new here: typed and with its short name
    assert group.type_id == type_by_code("political_group").id and group.short_name == "EPP"
    assert [p.id for p in search_people(PeopleFilter(q="EPP")).items] == [person.id]
