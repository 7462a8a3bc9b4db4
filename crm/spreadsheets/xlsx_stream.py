"""A Table as an .xlsx workbook, streamed: each block of rows leaves as zipped bytes at once.

For big exports. Why not a library: XlsxWriter's constant-memory mode assembles the zip only
when the workbook is closed, so a download could not start before the last row, and its
per-cell bookkeeping made a 100 000-person export slower than a bare openpyxl save. One sheet
of typed cells needs little of SpreadsheetML, so this module writes it directly: inline strings
(text is never a formula: there is no <f> anywhere), numbers, dates as day serials under a date
format, a frozen header, an autofilter and column widths from the first rows. The fixed parts
follow what XlsxWriter writes, which Excel, LibreOffice and Sheets open; the zip uses data
descriptors because it is never seeked back, as streaming writers such as Apache POI's do.
Small styled workbooks (several sheets, dropdowns) are openpyxl's: crm.spreadsheets.workbook.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from itertools import chain, islice
from pathlib import Path
from typing import Any, BinaryIO

from crm.spreadsheets.formats import (
    DATE_FORMAT,
    FIRST_DATE,
    HEADER_FILL,
    SAMPLE_ROWS,
    column_letter,
    column_widths,
    cut_to_limit,
    escape_controls,
    excel_width,
)
from crm.spreadsheets.safe import FORMULA_STARTS, neutralise
from crm.spreadsheets.table import DATE, NUMBER, Table

ROWS_PER_BLOCK = 500
_EPOCH = date(1899, 12, 30).toordinal()  # day 0 of Excel's 1900 date system, leap-year bug included
_NEEDS_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")
_SPACE = frozenset(" \t\n\r")
_CHECK_FIRST = FORMULA_STARTS | {"'"}
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
STATIC_PARTS = {
    "[Content_Types].xml": f'{_HEAD}<Types xmlns="{_PACKAGE}/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.styles+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_TYPE}.worksheet+xml"/></Types>',
    "_rels/.rels": f'{_HEAD}<Relationships xmlns="{_PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/_rels/workbook.xml.rels": f'{_HEAD}<Relationships xmlns="{_PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_RELS}/styles" Target="styles.xml"/></Relationships>',
    # Cell styles: 0 plain, 1 the header (bold, grey, underlined), 2 a date.
    "xl/styles.xml": f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
    f'<numFmts count="1"><numFmt numFmtId="164" formatCode="{DATE_FORMAT}"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    f'<fill><patternFill patternType="solid"><fgColor rgb="{HEADER_FILL}"/><bgColor indexed="64"/></patternFill></fill></fills>'
    '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '<border><left/><right/><top/><bottom style="thin"><color auto="1"/></bottom><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>',
}


def _escape(text: str) -> str:
    return escape_controls(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def _text(text: str) -> str:
    text = cut_to_limit(text)
    if _NEEDS_ESCAPE.search(text):
        text = _escape(text)
    if text[0] in _SPACE or text[-1] in _SPACE:
        return f'<is><t xml:space="preserve">{text}</t></is>'
    return f"<is><t>{text}</t></is>"


def _serial(value: date) -> str:
    if isinstance(value, datetime):
        seconds = value.hour * 3600 + value.minute * 60 + value.second
        return repr(value.toordinal() - _EPOCH + seconds / 86400)
    return str(value.toordinal() - _EPOCH)


def _sheet_head(table: Table, widths: list[int]) -> str:
    cols = "".join(
        f'<col min="{index}" max="{index}" width="{excel_width(width)}" customWidth="1"/>'
        for index, width in enumerate(widths, start=1)
    )
    header = "".join(
        f'<c r="{column_letter(index)}1" s="1" t="inlineStr">{_text(column.label)}</c>'
        for index, column in enumerate(table.columns)
    )
    return (
        f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_RELS}"><sheetViews><sheetView tabSelected="1" workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/>'
        f'</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols>'
        f'<sheetData><row r="1">{header}</row>'
    )


def _row_blocks(table: Table, rows: Any) -> Iterator[str]:
    """The <row> elements, ROWS_PER_BLOCK at a time: the hot loop, so lookups are hoisted."""
    letters = [column_letter(index) for index in range(len(table.columns))]
    kinds = [2 if column.kind == DATE else 1 if column.kind == NUMBER else 0 for column in table.columns]
    check_first, needs_escape, space = _CHECK_FIRST, _NEEDS_ESCAPE.search, _SPACE
    block: list[str] = []
    for number, row in enumerate(rows, start=2):
        cells = []
        for col, value in enumerate(row):
            if value is None or value == "":
                continue
            kind = kinds[col]
            if kind == 0:
                if value[0] in check_first:
                    value = neutralise(value)
                if len(value) > 4000 or needs_escape(value) or value[0] in space or value[-1] in space:
                    cells.append(f'<c r="{letters[col]}{number}" t="inlineStr">{_text(value)}</c>')
                else:
                    cells.append(f'<c r="{letters[col]}{number}" t="inlineStr"><is><t>{value}</t></is></c>')
            elif kind == 1:
                cells.append(f'<c r="{letters[col]}{number}"><v>{value}</v></c>')
            elif value.year >= FIRST_DATE:
                cells.append(f'<c r="{letters[col]}{number}" s="2"><v>{_serial(value)}</v></c>')
            else:  # before Excel's calendar starts: as text, rather than a wrong or negative day
                cells.append(f'<c r="{letters[col]}{number}" t="inlineStr">{_text(value.isoformat())}</c>')
        block.append(f'<row r="{number}">{"".join(cells)}</row>')
        if len(block) == ROWS_PER_BLOCK:
            yield "".join(block)
            block = []
    if block:
        yield "".join(block)


class _Pipe:
    """A write-only, unseekable file: zipfile then streams with data descriptors."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def xlsx_chunks(table: Table) -> Iterator[bytes]:
    """The workbook's bytes as they are produced: the first ones before any row is read."""
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name, xml in STATIC_PARTS.items():
            archive.writestr(name, xml)
        yield pipe.take()
        rows = iter(table)
        sample = list(islice(rows, SAMPLE_ROWS))
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(_sheet_head(table, column_widths(table.columns, sample)).encode())
            for block in _row_blocks(table, chain(sample, rows)):
                sheet.write(block.encode())
                yield pipe.take()
            last_column, last_row = column_letter(len(table.columns) - 1), table.written + 1
            sheet.write(
                f'</sheetData><autoFilter ref="A1:{last_column}{last_row}"/><pageMargins left="0.7" right="0.7" top="0.75" '
                'bottom="0.75" header="0.3" footer="0.3"/></worksheet>'.encode()
            )
        name = _escape(table.sheet)
        archive.writestr(
            "xl/workbook.xml",
            f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><bookViews><workbookView/></bookViews>'
            f'<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets><definedNames>'
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
            f"'{name}'!$A$1:${last_column}${last_row}</definedName>"
            "</definedNames></workbook>",
        )
    yield pipe.take()


def write_xlsx(table: Table, target: str | Path | BinaryIO) -> int:
    """Write the table to a path or binary file; returns the number of rows (header not counted)."""
    if isinstance(target, str | Path):
        with open(target, "wb") as handle:
            return write_xlsx(table, handle)
    for chunk in xlsx_chunks(table):
        target.write(chunk)
    return table.written
