"""Our own export, edited in a spreadsheet and imported back: changed cells update, nothing else moves."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from crm.audit.models import AuditEntry
from crm.contacts.models import Person
from crm.exports.service import export
from crm.extensions import db
from crm.imports.pipeline import ImportOptions, run_import
from tests.factories import make_organisation, make_person, make_role


@pytest.fixture
def contacts(app):
    freedom_house = make_organisation("Freedom House", type_code="ngo")
    behrendt = make_person("Behrendt", "Marc", emails=("marc.behrendt@freedomhouse.org",), country="US", tags=["ngo"])
    make_role(behrendt, freedom_house, "Director for Eurasia")
    hostile = make_person('=HYPERLINK("http://x")', "+Eve", country="KZ", notes="@SUM(A1)")
    db.session.commit()
    return behrendt, hostile


def audit_count() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.entity_type == "person"))


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_unchanged_export_imports_as_nothing_to_do(contacts, tmp_path, fmt):
    path = tmp_path / f"people.{fmt}"
    export("people", fmt, actor=None, destination=path)
    before = audit_count()
    result = run_import(path, ImportOptions(preset="crm_export"), actor=None)
    assert result.counts["rejected"] == 0, [r.errors for r in result.rows]
    assert (result.counts["created"], result.counts["updated"]) == (0, 0)
    assert audit_count() == before
    hostile = db.session.get(Person, contacts[1].id)
    assert (hostile.family_name, hostile.given_name, hostile.notes) == ('=HYPERLINK("http://x")', "+Eve", "@SUM(A1)")


def test_an_edited_cell_is_an_update_of_that_person_only(contacts, tmp_path):
    behrendt, _ = contacts
    path = tmp_path / "people.xlsx"
    export("people", "xlsx", actor=None, destination=path)
    book = load_workbook(path)
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("ID")].value == behrendt.id:
            row[header.index("Country")].value = "Belgium"
    book.save(path)

    preview = run_import(path, ImportOptions(preset="crm_export", dry_run=True), actor=None)
    assert (preview.counts["updated"], preview.counts["created"]) == (1, 0)
    updated = next(row for row in preview.rows if row.status == "updated")
    assert updated.id == behrendt.id and list(updated.changes) == ["country"]

    run_import(path, ImportOptions(preset="crm_export"), actor=None)
    db.session.expire_all()
    assert db.session.get(Person, behrendt.id).country == "BE"
