"""The whole pipeline on real files, asserting on what lands in the database."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from crm.contacts.models import Person, Role
from crm.extensions import db
from crm.imports import error_file
from crm.imports.models import ImportProblem, ImportRun
from crm.imports.pipeline import ImportOptions, run_import
from crm.imports.read import UnreadableFile
from crm.imports.results import Problem
from crm.imports.runs import get_run
from crm.imports.stages import CannotImport
from tests.factories import make_person
from tests.imports import files

HEADER = ["Last name", "First name", "E-mail", "Country", "Political group", "Organisation", "Tags"]


def workbook(folder, rows, *, header=HEADER, title: str | None = None, name="list.xlsx"):
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    path = folder / name
    book.save(path)
    return path


def people() -> list[Person]:
    return list(db.session.scalars(select(Person).order_by(Person.id)))


def by_family(name: str) -> Person:
    return db.session.scalars(select(Person).where(Person.family_name == name)).one()


def test_a_messy_list_lands_clean(app, tmp_path):
    path = workbook(
        tmp_path,
        [
            [
                "Zdechovský",
                "Tomáš",
                " Tomas.Zdechovsky@EP.europa.eu ",
                "Czech Republic",
                "EPP",
                "European Parliament",
                "mep, ep-kz",
            ],
            [],
            ["Štětina", "Jaromír", "jaromir.stetina@ep.europa.eu", "Tschechien", "EPP", "European Parliament", "mep"],
            ["Total", None, None, None, None, None, None],
        ],
        title="EU-Kazakhstan delegation",
    )
    result = run_import(path, ImportOptions(), actor=None)

    assert result.counts["created"] == 2 and result.counts["rejected"] == 0
    assert result.header_row == 3
    zdechovsky = by_family("Zdechovský")
    assert zdechovsky.given_name == "Tomáš"
    assert zdechovsky.primary_email == "tomas.zdechovsky@ep.europa.eu"
    assert zdechovsky.country == "CZ" and by_family("Štětina").country == "CZ"
    assert sorted(tag.name for tag in zdechovsky.tags) == ["ep-kz", "mep"]
    assert {role.organisation.name for role in zdechovsky.roles} >= {"European Parliament", "EPP"}
    assert zdechovsky.import_run_id == result.run_id
    run = db.session.get(ImportRun, result.run_id)
    assert (run.status, run.created, run.rejected) == ("done", 2, 0)
    skipped = [row for row in result.rows if row.status == "skipped"]
    assert [row.row for row in skipped] == [1, 7]  # the title and the totals row, reported, not imported


def test_bad_rows_are_rejected_with_reasons_and_the_rest_is_committed(app, tmp_path):
    path = workbook(
        tmp_path,
        [
            ["Behrendt", "Marc", "marc.behrendt@freedomhouse.org", "US", None, "Freedom House", None],
            ["Tumenova", "Bakhyt", "not an email", "KZ", None, "Aman-Saulik", None],
            [None, None, "nobody@example.org", "KZ", None, None, None],
            ["Toregozhina", "Bakhytzhan", None, "Narnia", None, None, None],
        ],
    )
    result = run_import(path, ImportOptions(), actor=None)

    assert result.counts["created"] == 1 and result.counts["rejected"] == 3
    rejected = {row.row: row for row in result.rejected_rows}
    assert rejected[3].errors[0].column == "E-mail" and "not an email" in rejected[3].errors[0].message
    assert "no name" in rejected[4].errors[0].message
    assert rejected[5].errors[0].column == "Country" and "Narnia" in rejected[5].errors[0].message
    assert [p.family_name for p in people()] == ["Behrendt"]

    run = get_run(result.run_id)
    assert db.session.scalar(select(func.count()).where(ImportProblem.run_id == run.id)) == 3
    sheet = load_workbook(error_file.write(run)).active
    lines = list(sheet.iter_rows(values_only=True))
    assert lines[0] == ("Row", *HEADER, "Errors")
    assert lines[1][:3] == (3, "Tumenova", "Bakhyt") and "E-mail" in lines[1][-1]
    assert lines[3][4] == "Narnia"


def test_rows_above_the_header_are_reported_as_skipped_except_blank_ones(app, tmp_path):
    result = run_import(files.messy_xlsx(tmp_path), ImportOptions(), actor=None)
    assert result.header_row == 4
    assert [row.row for row in result.rows] == [1, 2, 5, 6, 8, 9, 10, 12]  # 3 and 7 are blank
    title, date_line = result.rows[:2]
    assert (title.status, date_line.status) == ("skipped", "skipped")
    assert title.errors == [Problem("", f"Above the header row: “{files.MESSY_TITLE}”.")]
    assert date_line.errors == [Problem("", "Above the header row: “As of 1 May 2024”.")]
    run = get_run(result.run_id)
    assert run.created + run.skipped + run.rejected == run.rows_total == 8
    problems = {row.row_number: row.messages for row in error_file.problems(run)}
    assert problems[1] == [f"Above the header row: “{files.MESSY_TITLE}”."]


def test_a_long_row_above_the_header_is_quoted_short(app, tmp_path):
    path = workbook(tmp_path, [["Behrendt", "Marc"]], header=["Last name", "First name"], title="x" * 200)
    [above] = [row for row in run_import(path, ImportOptions(dry_run=True), actor=None).rows if row.row == 1]
    assert above.errors[0].message == f"Above the header row: “{'x' * 80}…”."


def test_an_unknown_category_is_a_warning_and_the_person_comes_without_it(app, tmp_path):
    header = ["Last name", "First name", "Category"]
    path = workbook(tmp_path, [["Behrendt", "Marc", "Astronaut"], ["Tumenova", "Bakhyt", "MEP"]], header=header)
    preview = run_import(path, ImportOptions(dry_run=True), actor=None)
    assert [row.status for row in preview.rows] == ["created", "created"]
    [warning] = preview.rows[0].warnings  # one message, not the cleaner's and the writer's
    assert warning.column == "Category" and warning.message.startswith("“Astronaut” is not a category here")
    assert warning.message.endswith("The row is imported without a category.")

    result = run_import(path, ImportOptions(), actor=None)
    assert by_family("Behrendt").category is None and by_family("Tumenova").category.name == "MEP"
    run = get_run(result.run_id)
    [row] = error_file.problems(run)
    assert (row.row_number, row.status, row.messages) == (2, "created", [f"Category: {warning.message}"])
    sheet = load_workbook(error_file.write(run)).active
    assert sheet.max_row == 1  # the error file holds rows to fix and import again, not warnings


def test_a_dry_run_writes_nothing_and_reports_the_same(app, tmp_path):
    path = workbook(tmp_path, [["Behrendt", "Marc", "marc@freedomhouse.org", "US", None, "Freedom House", None]])
    dry = run_import(path, ImportOptions(dry_run=True), actor=None)
    assert dry.counts["created"] == 1 and dry.run_id is None
    assert people() == [] and db.session.scalar(select(func.count()).select_from(ImportRun)) == 0
    real = run_import(path, ImportOptions(), actor=None)
    assert real.as_json()["created"] == 1


def test_fill_never_overwrites_what_staff_wrote(app, tmp_path):
    person = make_person("Behrendt", "Marc", emails=("marc.behrendt@freedomhouse.org",), country="US")
    person.notes = "Met at the OSCE HDIM."
    db.session.commit()
    path = workbook(
        tmp_path,
        [["Behrendt", "Mark", "marc.behrendt@freedomhouse.org", "BE", None, "Freedom House", "ngo"]],
        header=[*HEADER[:6], "Tags"],
    )
    result = run_import(path, ImportOptions(), actor=None)

    assert result.counts["updated"] == 1 and result.rows[0].id == person.id
    db.session.expire_all()
    person = db.session.get(Person, person.id)
    assert (person.given_name, person.country, person.notes) == ("Marc", "US", "Met at the OSCE HDIM.")
    assert [tag.name for tag in person.tags] == ["ngo"]
    assert "Freedom House" in {role.organisation.name for role in person.roles}


def test_update_lets_the_file_win_but_blank_cells_erase_nothing(app, tmp_path):
    person = make_person("Behrendt", "Marc", emails=("marc.behrendt@freedomhouse.org",), country="US")
    db.session.commit()
    path = workbook(tmp_path, [["Behrendt", None, "marc.behrendt@freedomhouse.org", "BE", None, None, None]])
    run_import(path, ImportOptions(on_duplicate="update"), actor=None)
    db.session.expire_all()
    person = db.session.get(Person, person.id)
    assert (person.given_name, person.country) == ("Marc", "BE")


def test_skip_and_create_anyway(app, tmp_path):
    make_person("Behrendt", "Marc", emails=("marc.behrendt@freedomhouse.org",))
    db.session.commit()
    path = workbook(tmp_path, [["Behrendt", "Marc", "marc.behrendt@freedomhouse.org", "US", None, None, None]])
    skipped = run_import(path, ImportOptions(on_duplicate="skip"), actor=None)
    assert skipped.counts["skipped"] == 1 and len(people()) == 1
    created = run_import(path, ImportOptions(on_duplicate="create"), actor=None)
    assert created.counts["created"] == 1 and len(people()) == 2


def test_a_row_matching_several_people_is_skipped_with_the_candidates_named(app, tmp_path):
    first = make_person("Dzhakishev", "Mukhtar", country="KZ")
    second = make_person("Djakishev", "Mukhtar", country="KZ")
    db.session.commit()
    path = workbook(tmp_path, [["Джакишев", "Мухтар", None, "KZ", None, None, None]])
    result = run_import(path, ImportOptions(), actor=None)

    row = result.rows[0]
    assert row.status == "skipped"
    assert {candidate.person_id for candidate in row.candidates} == {first.id, second.id}
    assert str(first.id) in row.errors[0].message and str(second.id) in row.errors[0].message
    assert len(people()) == 2


def test_the_same_person_twice_in_one_file_is_created_once(app, tmp_path):
    path = workbook(
        tmp_path,
        [
            ["Tumenova", "Bakhyt", "tumenova@amansaulik.kz", "KZ", None, None, None],
            ["TUMENOVA", "Bakhyt", "tumenova@amansaulik.kz", "KZ", None, None, None],
        ],
    )
    result = run_import(path, ImportOptions(), actor=None)
    assert [row.status for row in result.rows] == ["created", "skipped"]
    assert "row 2" in result.rows[1].errors[0].message
    assert len(people()) == 1
    assert result.rows[0].id == result.rows[1].id == people()[0].id  # the report names whom both rows are


def test_a_later_row_fills_whom_an_earlier_row_created_and_names_them(app, tmp_path):
    path = workbook(
        tmp_path,
        [
            ["Tumenova", "Bakhyt", "tumenova@amansaulik.kz", None, None, None, None],
            ["TUMENOVA", "Bakhyt", "tumenova@amansaulik.kz", "KZ", None, None, None],
        ],
    )
    result = run_import(path, ImportOptions(), actor=None)
    [person] = people()
    assert [row.status for row in result.rows] == ["created", "updated"]
    assert result.rows[0].id == result.rows[1].id == person.id
    assert person.country == "KZ"  # filled in from the second row


def test_a_header_only_file_imports_nothing_and_says_so(app, tmp_path):
    result = run_import(files.header_only_xlsx(tmp_path), ImportOptions(), actor=None)
    assert result.rows == [] and people() == []


def test_a_five_megabyte_cell_rejects_its_row(app, tmp_path):
    result = run_import(files.big_cell_xlsx(tmp_path), ImportOptions(), actor=None)
    statuses = {row.row: row.status for row in result.rows}
    assert statuses == {2: "rejected", 3: "created"}
    assert "characters" in result.rows[0].errors[0].message


def test_a_czech_excel_csv_in_cp1250_with_semicolons(app, tmp_path):
    result = run_import(files.cp1250_semicolon_csv(tmp_path), ImportOptions(), actor=None)
    assert result.counts["created"] == 4
    assert by_family("Zdechovský").given_name == "Tomáš"
    assert by_family("Kowalczyk").addresses[0].city == "Łódź"


def test_unreadable_files_write_nothing(app, tmp_path):
    with pytest.raises(UnreadableFile):
        run_import(files.entity_bomb_xlsx(tmp_path), ImportOptions(), actor=None)
    with pytest.raises(CannotImport):
        run_import(workbook(tmp_path, [["x", "y"]], header=["Foo", "Bar"]), ImportOptions(), actor=None)
    assert db.session.scalar(select(func.count()).select_from(ImportRun)) == 0


def test_a_name_that_looks_like_a_formula_is_refused_as_one(app, tmp_path):
    rows = [
        ["@Smith", "Anna", "anna@example.org", "GB"],
        ['=HYPERLINK("mailto:x@example.org","X")', "Bea", None, "GB"],
        ["+Smith", "Cyril", None, "GB"],
    ]
    path = files.write_csv(tmp_path / "formulas.csv", [HEADER[:4], *rows], encoding="utf-8")
    result = run_import(path, ImportOptions(dry_run=True), actor=None)
    assert [row.status for row in result.rows] == ["rejected"] * 3
    for row, cells in zip(result.rows, rows, strict=True):
        assert row.errors == [
            Problem(
                "Last name",
                f"“{cells[0]}” starts with {cells[0][0]}, so it looks like a spreadsheet formula, not a name.",
            )
        ]


def test_role_dates_and_their_order(app, tmp_path):
    header = ["Family name", "Given name", "Organisation", "Role", "Role start", "Role end"]
    path = workbook(
        tmp_path,
        [
            ["Behrendt", "Marc", "Freedom House", "Director", "01.09.2012", None],
            ["Tumenova", "Bakhyt", "Aman-Saulik", "Director", "2019-01-01", "2010-01-01"],
        ],
        header=header,
    )
    result = run_import(path, ImportOptions(), actor=None)
    assert [row.status for row in result.rows] == ["created", "rejected"]
    role = db.session.scalars(select(Role)).one()
    assert (role.title, role.starts_on, role.ends_on) == ("Director", dt.date(2012, 9, 1), None)


def test_the_error_file_keeps_hostile_cells_as_plain_text(app, tmp_path):
    hostile = ['=HYPERLINK("http://evil.example","x")', "<r><t>rich</t></r>", "bad@", "KZ"]
    path = files.write_csv(tmp_path / "hostile.csv", [HEADER[:4], hostile], encoding="utf-8")
    result = run_import(path, ImportOptions(), actor=None)
    assert result.counts["rejected"] == 1
    sheet = load_workbook(error_file.write(get_run(result.run_id))).active
    name, given, email = (sheet.cell(row=2, column=column) for column in (2, 3, 4))
    assert (name.value, name.data_type) == ("'" + hostile[0], "s")  # guarded; the importer restores it
    assert given.value == "<r><t>rich</t></r>" and email.value == "bad@"
