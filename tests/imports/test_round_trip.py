"""Our own export, edited in a spreadsheet and imported back: changed cells update, nothing else moves."""

from __future__ import annotations

import json
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from crm.audit.models import AuditEntry
from crm.contacts.models import Person
from crm.exports.people_rows import PEOPLE_COLUMNS, PEOPLE_KEYS
from crm.exports.service import export
from crm.extensions import db
from crm.imports.pipeline import ImportOptions, run_import
from tests.factories import category_id, make_organisation, make_person, make_role


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
    # kept as the export wrote them, with a word that they start like formulas
    [row] = [row for row in result.rows if row.id == hostile.id]
    assert [warning.column for warning in row.warnings] == ["Given name", "Family name"]


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


def test_the_lawful_basis_goes_out_in_words_and_comes_back_as_its_code(contacts, tmp_path):
    behrendt, _ = contacts
    behrendt.lawful_basis = "vital_interests"
    db.session.commit()
    path = tmp_path / "people.xlsx"
    export("people", "xlsx", actor=None, destination=path)
    book = load_workbook(path)
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    [row] = [row for row in sheet.iter_rows(min_row=2) if row[header.index("ID")].value == behrendt.id]
    assert row[header.index("Lawful basis")].value == "Vital interests"
    assert run_import(path, ImportOptions(preset="crm_export", dry_run=True), actor=None).counts["updated"] == 0

    row[header.index("Lawful basis")].value = "Public task"
    book.save(path)
    run_import(path, ImportOptions(preset="crm_export"), actor=None)
    db.session.expire_all()
    assert db.session.get(Person, behrendt.id).lawful_basis == "public_task"


# --- The export brought back without --preset (issue 12, point 4) ----------------------------


@pytest.fixture
def delegation(app):
    """A delegation as staff keep it: most people have a name in Cyrillic, a category, a tag and two
    roles and nothing else, so their rows are short words only, like a header; one is complete."""
    parliament = make_organisation("European Parliament", short_name="EP", type_code="parliament")
    epp = make_organisation("Group of the European People's Party", short_name="EPP", type_code="political_group")
    members = []
    for family, given in [
        ("Джакишев", "Мухтар"),
        ("Тургунбаев", "Ерлан"),
        ("Шевченко", "Олена"),
        ("Иванова", "Анна"),
        ("Тихонов", "Борис"),
        ("Кузнецов", "Игорь"),
        ("Смирнова", "Мария"),
        ("Щербаков", "Олег"),
        ("Белова", "Ирина"),
        ("Гордеев", "Павел"),
        ("Лазарев", "Сергей"),
        ("Жукова", "Дарья"),
    ]:
        person = make_person(family, given, category_id=category_id("MEP"), tags=["Delegation KZ"])
        make_role(person, parliament, "Member", date(2019, 7, 2))
        make_role(person, epp, "Member", date(2019, 7, 2))
        members.append(person)
    complete = make_person(
        "Zdechovský",
        "Tomáš",
        emails=("tomas.zdechovsky@europarl.europa.eu",),
        country="CZ",
        category_id=category_id("MEP"),
        tags=["Urgent", "Delegation KZ"],
    )
    make_role(complete, parliament, "Member", date(2014, 7, 1))
    db.session.commit()
    return [*members, complete]


def person_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Person))


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_export_comes_back_as_is_without_a_preset(runner, delegation, tmp_path, fmt):
    path = tmp_path / f"people.{fmt}"
    exported = runner.invoke(args=["crm", "export", "people", "-o", str(path)])
    assert exported.exit_code == 0, exported.output
    before = person_count()

    result = runner.invoke(args=["crm", "import", str(path), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    # Every data row is accounted for, and each one is the person its ID names.
    assert [row["row"] for row in report["rows"]] == list(range(2, len(delegation) + 2))
    assert report["created"] == report["rejected"] == 0
    ids = {person.id for person in delegation}
    assert {row["id"] for row in report["rows"]} == ids
    assert report["ignored_columns"] == []
    assert person_count() == before
    names = db.session.scalars(select(Person.family_name)).all()
    assert "Member" not in names and "MEP" not in names
    zhakishev = db.session.get(Person, delegation[0].id)
    # Typed in Cyrillic only, saved with the Latin form (contacts.latin_names): both come back as they were.
    assert (zhakishev.family_name, zhakishev.given_name, zhakishev.native_name) == (
        "Dzhakishev",
        "Mukhtar",
        "Мухтар Джакишев",
    )
    assert zhakishev.category.name == "MEP" and [tag.name for tag in zhakishev.tags] == ["Delegation KZ"]
    assert sorted(role.organisation.short_name for role in zhakishev.roles) == ["EP", "EPP"]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_export_is_recognised_by_its_header_and_its_ids_update(delegation, tmp_path, fmt):
    path = tmp_path / f"people.{fmt}"
    export("people", fmt, actor=None, destination=path)
    result = run_import(path, ImportOptions(dry_run=True), actor=None)
    assert result.header_row == 1 and result.labels == [column.label for column in PEOPLE_COLUMNS]
    assert result.mapping == {index: key for index, key in enumerate(PEOPLE_KEYS)}
    assert result.counts["created"] == result.counts["rejected"] == 0
