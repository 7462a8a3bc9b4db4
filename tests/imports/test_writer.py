"""The import's Writer on its own: a later row of the file filling the person an earlier row created."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from crm.audit.service import history
from crm.contacts.models import Person
from crm.extensions import db
from crm.imports.apply import Writer
from crm.imports.models import ImportRun
from crm.imports.results import RowResult
from crm.taxonomy.models import Tag
from tests.factories import category_id

ROW_2 = {"given_name": "Mukhtar", "family_name": "Dzhakishev", "country": "KZ", "email": ["m.dzhakishev@example.kz"]}
ROW_5 = {
    "given_name": "Mukhtar",
    "family_name": "Djakishev",
    "native_name": "Мухтар Джакишев",
    "email": ["mukhtar@example.kz"],
    "phone": ["+7 727 000 00 00"],
    "tags": ["Political prisoner"],
    "political_group": "EPP",
}


def writer(run_id: int | None = None) -> Writer:
    return Writer(run_id=run_id, actor=None, role_source="", external_scheme="")


def created(writer: Writer, row: int, values: dict) -> RowResult:
    result = RowResult(row, "created")
    writer.create(result, dict(values), None)
    return result


def fill(writer: Writer, earlier_row: int, values: dict, category: int | None = None, *, mode: str) -> RowResult:
    result = RowResult(earlier_row + 10, "rejected")
    writer.fill_earlier(result, earlier_row, dict(values), category, mode=mode)
    return result


def the_person() -> Person:
    db.session.expire_all()
    return db.session.scalars(select(Person)).one()


@pytest.mark.parametrize("written_first", [False, True], ids=["still pending", "already written"])
def test_fill_earlier_fills_the_person_an_earlier_row_created(app, written_first):
    rows = writer()
    earlier = created(rows, 2, ROW_2)
    if written_first:
        rows.flush()
    later = fill(rows, 2, ROW_5, mode="fill")
    rows.flush()
    changes = later.changes

    person = the_person()
    assert person.id == earlier.id == later.id and later.status == "updated"
    assert person.version == 1 and [e.action for e in history("person", person.id)] == ["create"]
    assert history("person", person.id)[0].changes["native_name"] == [None, "Мухтар Джакишев"]
    assert (person.family_name, person.native_name) == ("Dzhakishev", "Мухтар Джакишев")  # "fill" keeps the name
    assert [e.address for e in person.emails] == ["m.dzhakishev@example.kz", "mukhtar@example.kz"]
    assert [p.number for p in person.phones] == ["+7 727 000 00 00"]
    assert [t.name for t in person.tags] == ["Political prisoner"]
    assert [r.organisation.name for r in person.roles] == ["EPP"]
    assert changes["native_name"] == ["", "Мухтар Джакишев"]
    assert changes["emails"][1] == ["m.dzhakishev@example.kz (primary)", "mukhtar@example.kz"]
    assert changes["roles"] == [None, ["Member EPP"]]
    assert "family_name" not in changes
    assert " epp " in person.search_text and " djakishev " in person.search_text  # as the service indexes


@pytest.mark.parametrize("written_first", [False, True], ids=["still pending", "already written"])
def test_update_lets_the_later_rows_values_win(app, written_first):
    rows = writer()
    created(rows, 2, ROW_2)
    if written_first:
        rows.flush()
    later = fill(rows, 2, ROW_5, category_id("Political prisoner"), mode="update")
    rows.flush()
    changes = later.changes

    person = the_person()
    assert (person.family_name, person.category.name) == ("Djakishev", "Political prisoner")
    assert changes["family_name"] == ["Dzhakishev", "Djakishev"]
    assert changes["category"] == [None, "Political prisoner"]
    assert person.primary_email == "mukhtar@example.kz"  # the file's first email becomes primary


@pytest.mark.parametrize("written_first", [False, True], ids=["still pending", "already written"])
def test_nothing_new_changes_nothing(app, written_first):
    rows = writer()
    created(rows, 2, ROW_2)
    if written_first:
        rows.flush()
    later = fill(rows, 2, {"family_name": "Dzhakishev", "country": "KZ"}, mode="fill")
    rows.flush()
    assert (later.changes, later.status) == ({}, "skipped") and "Nothing new beside row 2" in later.errors[0].message
    assert the_person().version == 1


def test_only_the_person_of_that_row_is_filled_and_the_audit_says_create_once(app):
    run = ImportRun(file_name="list.xlsx")
    db.session.add(run)
    db.session.flush()
    rows = writer(run.id)
    created(rows, 2, ROW_2)
    other = created(rows, 3, {"family_name": "Toregozhina", "given_name": "Bakhytzhan"})
    fill(rows, 2, ROW_5, mode="fill")
    rows.flush()
    assert db.session.scalar(select(func.count()).select_from(Person)) == 2
    assert db.session.get(Person, other.id).native_name == ""
    assert db.session.scalar(select(func.count()).select_from(Tag)) == 1
    dzhakishev = db.session.scalars(select(Person).where(Person.family_name == "Dzhakishev")).one()
    (entry,) = history("person", dzhakishev.id)  # pending: the person is written once, with everything
    assert entry.action == "create" and entry.changes["native_name"] == [None, "Мухтар Джакишев"]


def test_a_row_that_created_nobody_is_refused(app):
    rows = writer()
    created(rows, 2, ROW_2)
    with pytest.raises(KeyError):
        fill(rows, 4, ROW_5, mode="fill")


@pytest.mark.parametrize("written_first", [False, True], ids=["still pending", "already written"])
def test_the_later_rows_external_id_is_kept_when_the_earlier_row_had_none(app, written_first):
    rows = Writer(run_id=None, actor=None, role_source="", external_scheme="ep")
    created(rows, 2, ROW_2)
    if written_first:
        rows.flush()
    later = fill(rows, 2, {**ROW_5, "external_id": "124713"}, mode="fill")
    rows.flush()
    assert later.changes["external_id"] == [None, "ep:124713"]
    assert [(e.scheme, e.value) for e in the_person().external_ids] == [("ep", "124713")]


def test_people_written_already_are_read_back_and_rewritten_together(app):
    rows = writer()
    first, second = created(rows, 2, ROW_2), created(rows, 3, {"family_name": "Toregozhina", "tags": ["Family"]})
    rows.flush()
    fills = [
        fill(rows, 2, ROW_5, mode="fill"),
        fill(
            rows,
            3,
            {"family_name": "Toregozhina", "email": ["t@example.kz"], "tags": ["family", "Urgent"]},
            mode="fill",
        ),
        fill(rows, 2, {"family_name": "Dzhakishev", "patronymic": "Abilovich"}, mode="fill"),
    ]
    rows.flush()

    assert [f.status for f in fills] == ["updated", "updated", "updated"]
    assert [f.id for f in fills] == [first.id, second.id, first.id]
    db.session.expire_all()
    dzhakishev, toregozhina = db.session.get(Person, first.id), db.session.get(Person, second.id)
    assert (dzhakishev.patronymic, dzhakishev.native_name) == ("Abilovich", "Мухтар Джакишев")
    assert [t.name for t in toregozhina.tags] == ["Family", "Urgent"] and toregozhina.primary_email == "t@example.kz"
    assert " abilovich " in dzhakishev.search_text
