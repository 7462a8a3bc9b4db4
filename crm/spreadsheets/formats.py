"""How our sheets look and what Excel allows, whichever writer writes them: header style, date
format, column widths and letters, cell text within Excel's limits."""

from __future__ import annotations

import re

from openpyxl.cell import Cell
from openpyxl.styles import Border, Font, PatternFill, Side

from crm.spreadsheets.table import DATE, Column

MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "yyyy-mm-dd"
HEADER_FILL = "FFF2F2F2"  # light grey, ARGB
MAX_CHARS = 32_767  # Excel's limit for one cell
SAMPLE_ROWS = 200  # column widths come from the header and the first rows
WIDTH_PADDING = 0.7109375  # Excel stores a width with the cell margins; the user sees whole characters
FIRST_DATE = 1900  # Excel's calendar starts in 1900: an earlier date is written as text
# XML 1.0 cannot hold most control characters and its parsers turn CR into LF; Excel
# spells them _xHHHH_, so a literal "_x0041_" in the data is itself escaped as _x005F_.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def style_header(cell: Cell) -> Cell:
    """A header cell's look in an openpyxl sheet: bold, grey, underlined."""
    cell.font = Font(bold=True)
    cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
    cell.border = Border(bottom=Side(style="thin"))
    return cell


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def column_widths(columns: tuple[Column, ...], sample: list[tuple]) -> list[int]:
    """Each column's width in characters: its longest value among `sample`, within its max_width."""
    widths = []
    for index, column in enumerate(columns):
        longest = len(column.label) + 3  # room for the autofilter button
        for row in sample:
            value = row[index]
            if value is None:
                continue
            text = "2024-12-31" if column.kind == DATE else str(value)
            length = max(map(len, text.splitlines())) if "\n" in text else len(text)
            longest = max(longest, length + 1)
        widths.append(min(max(longest, 6), column.max_width))
    return widths


def excel_width(characters: int) -> float:
    """The width to store for a column showing `characters`."""
    return characters + WIDTH_PADDING


def cut_to_limit(text: str) -> str:
    """The text within MAX_CHARS, which Excel counts in UTF-16 units."""
    if len(text) > MAX_CHARS // 2 and len(text.encode("utf-16-le")) > 2 * MAX_CHARS:
        return text.encode("utf-16-le")[: 2 * MAX_CHARS].decode("utf-16-le", "ignore")
    return text


def escape_controls(text: str) -> str:
    """Characters XML cannot hold, as Excel spells them; a lone surrogate as U+FFFD."""
    text = _SURROGATE.sub("\ufffd", text)
    return _CONTROL.sub(lambda match: f"_x{ord(match.group()):04X}_", text)
