"""Several Tables as one small .xlsx workbook, with openpyxl: a sheet per table, numbers as
numbers, dates as dates, the header frozen and filtered; the same look and cell rules as the
streamed export (crm.spreadsheets.xlsx_stream).

For reports and other small files, built in memory: openpyxl is slower per cell than the
streamed writer, but writes what that one does not (several sheets, notes, dropdowns)."""

from __future__ import annotations

import io
import re
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from crm.spreadsheets.formats import (
    DATE_FORMAT,
    FIRST_DATE,
    MIMETYPE,
    SAMPLE_ROWS,
    column_letter,
    column_widths,
    cut_to_limit,
    escape_controls,
    excel_width,
    style_header,
)
from crm.spreadsheets.safe import neutralise
from crm.spreadsheets.table import DATE, NUMBER, Table

__all__ = ["MIMETYPE", "sheet_names", "text_cell", "workbook_bytes", "write_sheet"]
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_names(tables: list[Table]) -> list[str]:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique regardless of case."""
    names: list[str] = []
    for table in tables:
        base = _BAD_SHEET_CHARS.sub(" ", table.sheet).strip()[:31] or "Sheet"
        name, number = base, 2
        while name.lower() in {taken.lower() for taken in names}:
            suffix = f" ({number})"
            name, number = base[: 31 - len(suffix)] + suffix, number + 1
        names.append(name)
    return names


def workbook_bytes(tables: list[Table]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for table, name in zip(tables, sheet_names(tables), strict=True):
        write_sheet(book.create_sheet(name), table)
    if tables:
        book.worksheets[0].sheet_view.tabSelected = True  # the tab Excel shows first; only one, or they open grouped
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_sheet(sheet: Worksheet, table: Table) -> None:
    """The table into an empty sheet: bold header, frozen and filtered, widths from the first rows."""
    rows = list(table)
    for index, column in enumerate(table.columns, start=1):
        style_header(sheet.cell(1, index, text_cell(column.label)))
    kinds = [column.kind for column in table.columns]
    for number, row in enumerate(rows, start=2):
        for index, (value, kind) in enumerate(zip(row, kinds, strict=True), start=1):
            if value is None or value == "":
                continue
            if kind == NUMBER:
                sheet.cell(number, index, value)
            elif kind == DATE:
                _date_cell(sheet, number, index, value)
            else:
                sheet.cell(number, index, text_cell(value))
    for index, width in enumerate(column_widths(table.columns, rows[:SAMPLE_ROWS])):
        sheet.column_dimensions[column_letter(index)].width = excel_width(width)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{column_letter(len(table.columns) - 1)}{len(rows) + 1}"


def text_cell(text: str) -> str:
    """Text as a cell may hold it: never a formula, within Excel's limit, no character XML refuses."""
    return escape_controls(cut_to_limit(neutralise(text)))


def _date_cell(sheet: Worksheet, row: int, column: int, value: Any) -> None:
    if value.year < FIRST_DATE:  # before Excel's calendar starts: as text, rather than a wrong or negative day
        sheet.cell(row, column, value.isoformat())
        return
    if isinstance(value, datetime) and value.tzinfo:
        value = value.replace(tzinfo=None)  # Excel has no time zones; the streamed export drops them too
    cell = sheet.cell(row, column, value)
    cell.number_format = DATE_FORMAT
