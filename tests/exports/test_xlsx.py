"""The streaming .xlsx writer: a valid package, exact text, dates, and bytes before any query."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from xml.etree import ElementTree

from sqlalchemy import event

from crm.extensions import db
from crm.imports.read import read_sheet
from crm.spreadsheets.formats import MAX_CHARS, column_letter
from crm.spreadsheets.table import DATE, NUMBER, Column, Table
from crm.spreadsheets.xlsx_stream import write_xlsx, xlsx_chunks
from tests.exports.conftest import read_xlsx

TRICKY = [
    "a & b < c > d",
    "bell\x07 and form feed\x0c",
    "CR\r\nLF",
    "literal _x0041_ stays",
    "  leading and trailing  ",
    "\ttab first",
    "astral 𝄞 and ß",
    "x" * (MAX_CHARS + 10),
]


COLUMNS = (Column("Text"), Column("Number", NUMBER), Column("Day", DATE))


def table_of(rows) -> Table:
    return Table("Sheet & co", COLUMNS, iter(rows))


def test_package_parts_are_well_formed_and_formula_free(tmp_path):
    path = tmp_path / "t.xlsx"
    assert write_xlsx(table_of([(text, 1, None) for text in TRICKY]), path) == len(TRICKY)
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert {"[Content_Types].xml", "xl/workbook.xml", "xl/styles.xml", "xl/worksheets/sheet1.xml"} <= set(names)
        for name in names:
            ElementTree.fromstring(archive.read(name))  # raises on malformed XML
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
        workbook = archive.read("xl/workbook.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet
    assert '<autoFilter ref="A1:C9"/>' in sheet
    assert "'Sheet &amp; co'!$A$1:$C$9" in workbook


def test_text_comes_back_exactly_through_the_importers_reader(tmp_path):
    path = tmp_path / "t.xlsx"
    write_xlsx(table_of([(text, None, None) for text in TRICKY]), path)
    with read_sheet(path) as sheet:
        values = [row.cells[0] for row in sheet.rows][1:]
    assert values[:-1] == ["a & b < c > d", "bell\x07 and form feed\x0c", "CR\r\nLF", "literal _x0041_ stays",
                           "  leading and trailing  ", "'\ttab first", "astral 𝄞 and ß"]  # fmt: skip
    assert values[-1] == "x" * MAX_CHARS  # Excel's limit per cell


def test_numbers_dates_and_datetimes(tmp_path):
    rows = [("a", 7, date(2017, 10, 11)), ("b", 2.5, datetime(2019, 9, 10, 12, 0)), ("c", None, date(1900, 3, 1)),
            ("d", -1, date(1848, 3, 15))]  # fmt: skip
    sheet, header, cells = read_xlsx(_bytes(table_of(rows)))
    assert header == ["Text", "Number", "Day"]
    assert [row["Number"].value for row in cells] == [7, 2.5, None, -1]
    days = [datetime(2017, 10, 11), datetime(2019, 9, 10, 12), datetime(1900, 3, 1)]
    assert [row["Day"].value for row in cells[:3]] == days
    assert all(row["Day"].is_date and row["Day"].number_format == "yyyy-mm-dd" for row in cells[:3])
    assert cells[3]["Day"].value == "1848-03-15"  # Excel has no days before 1900
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C5"


def test_column_letters():
    assert [column_letter(index) for index in (0, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"
    ]  # fmt: skip


def test_the_first_bytes_leave_before_any_query(app, sample):
    from crm.exports.service import build_table

    seen = []
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        chunks = xlsx_chunks(build_table("people"))
        first = next(chunks)
        assert first.startswith(b"PK") and seen == []
        rest = b"".join(chunks)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert seen  # the rows were read after the first bytes went out
    _, _, rows = read_xlsx(first + rest)
    assert len(rows) == 9


def _bytes(table: Table) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(table, buffer)
    return buffer.getvalue()
