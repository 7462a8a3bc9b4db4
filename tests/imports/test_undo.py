"""Undo reverts an import exactly, unless later work would be lost."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from crm.audit.models import AuditEntry
from crm.contacts import people as people_service
from crm.contacts.models import ExternalId, Organisation, Person, Role
from crm.extensions import db
from crm.imports.person_values import person_data_of
from crm.imports.pipeline import ImportOptions, run_import
from crm.imports.runs import get_run
from crm.imports.undo import UndoRefused, undo_import
from tests.factories import make_outreach, make_person
from tests.imports.test_pipeline import workbook

ROWS = [
    ["Behrendt", "Marc", "marc.behrendt@freedomhouse.org", "US", None, "Freedom House", "ngo"],
    ["Tumenova", "Bakhyt", "tumenova@amansaulik.kz", "KZ", None, "Aman-Saulik", None],
]


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_undo_removes_what_it_created_and_restores_what_it_updated(app, tmp_path):
    existing = make_person("Tumenova", "", emails=("tumenova@amansaulik.kz",))
    result = run_import(workbook(tmp_path, ROWS), ImportOptions(), actor=None)
    assert (result.counts["created"], result.counts["updated"]) == (1, 1)
    assert db.session.get(Person, existing.id).given_name == "Bakhyt"

    report = undo_import(get_run(result.run_id), actor=None)
    db.session.commit()

    assert (report.removed, report.restored) == (1, 1)
    assert [p.id for p in db.session.scalars(select(Person))] == [existing.id]
    restored = db.session.get(Person, existing.id)
    assert restored.given_name == "" and restored.roles == []
    assert count(Organisation) == 0 and count(Role) == 0
    assert get_run(result.run_id).status == "undone"


def test_undo_refuses_when_records_were_edited_or_used_since(app, tmp_path):
    result = run_import(workbook(tmp_path, ROWS), ImportOptions(), actor=None)
    behrendt = db.session.scalars(select(Person).where(Person.family_name == "Behrendt")).one()
    data = person_data_of(behrendt)
    data.notes = "Called him on Monday."
    people_service.update_person(behrendt, data, actor=None, expected_version=behrendt.version)
    tumenova = db.session.scalars(select(Person).where(Person.family_name == "Tumenova")).one()
    make_outreach("Letter about the parole hearing", to=[tumenova])
    db.session.commit()

    with pytest.raises(UndoRefused) as refused:
        undo_import(get_run(result.run_id), actor=None)
    db.session.rollback()
    assert set(refused.value.conflicts.people) == {behrendt.id, tumenova.id}
    assert count(Person) == 2

    report = undo_import(get_run(result.run_id), actor=None, keep_conflicting=True)
    db.session.commit()
    assert report.removed == 0 and len(report.kept) == 2
    assert count(Person) == 2


def test_undo_removes_an_external_id_the_import_gave_someone_already_here(app, tmp_path):
    existing = make_person("Tumenova", "Bakhyt", emails=("tumenova@amansaulik.kz",))
    kept = make_person("Behrendt", "Marc", emails=("marc.behrendt@freedomhouse.org",))
    db.session.add(ExternalId(person_id=kept.id, scheme="ep", value="1"))  # held before: untouched
    db.session.commit()
    rows = [["Tumenova", "Bakhyt", "tumenova@amansaulik.kz", "ep:124713"], ["Behrendt", "Marc", "", "ep:1"]]
    path = workbook(tmp_path, rows, header=["Family name", "Given name", "E-mail", "External ID"])
    result = run_import(path, ImportOptions(), actor=None)
    assert result.rows[0].status == "updated" and result.rows[0].changes == {"external_id": [None, "ep:124713"]}
    assert [(i.scheme, i.value) for i in db.session.get(Person, existing.id).external_ids] == [("ep", "124713")]

    report = undo_import(get_run(result.run_id), actor=None)
    db.session.commit()

    assert report.ids_removed == 1 and "1 external ids removed" in get_run(result.run_id).message
    assert db.session.get(Person, existing.id).external_ids == []
    assert [(i.scheme, i.value) for i in db.session.get(Person, kept.id).external_ids] == [("ep", "1")]


def test_undo_takes_the_history_of_whom_it_removes_along(app, tmp_path, staff):
    result = run_import(workbook(tmp_path, ROWS), ImportOptions(), actor=staff["editor"])
    created = [row.id for row in result.rows]
    assert _history(created) > 0  # each imported person has their "create" entry

    undo_import(get_run(result.run_id), actor=staff["editor"])
    db.session.commit()

    assert _history(created) == 0  # an id SQLite hands out again starts with no one else's history
    undone = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "import")).one()
    assert "2 people removed" in undone.changes["undo"][1]


def test_a_person_the_file_itself_filled_in_a_later_chunk_is_still_undone(app, tmp_path, monkeypatch):
    monkeypatch.setattr("crm.imports.apply.CHUNK", 1)  # each new person is written before the next row
    rows = [
        ["Tumenova", "Bakhyt", "tumenova@amansaulik.kz", None, None, None, None],
        ["Behrendt", "Marc", "marc.behrendt@freedomhouse.org", "US", None, None, None],
        ["TUMENOVA", "Bakhyt", "tumenova@amansaulik.kz", "KZ", None, None, None],
    ]
    result = run_import(workbook(tmp_path, rows), ImportOptions(), actor=None)
    assert [row.status for row in result.rows] == ["created", "created", "updated"]

    report = undo_import(get_run(result.run_id), actor=None)
    db.session.commit()

    assert (report.removed, report.restored, report.kept) == (2, 0, {})
    assert count(Person) == 0


def _history(person_ids) -> int:
    query = select(func.count()).where(AuditEntry.entity_type == "person", AuditEntry.entity_id.in_(person_ids))
    return db.session.scalar(query)
