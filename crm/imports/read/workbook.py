"""Workbooks (.xlsx/.xlsm, .xls, .ods) read by python-calamine, inside the reader process.

The reader process (reader_process) loads this file by its path and calls `work`, so it
imports nothing from crm, and calamine only once the child's limits are set. calamine
builds a sheet as one dense grid in Rust: a 2 KB file with values in A1 and XFD1048576 asks
for 549 GB and aborts the process it runs in (tafia/calamine#693), which is why it runs there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def work(path: str, wanted: str, longest: int, batch_size: int, send: Callable[..., None]) -> None:
    """Send the chosen sheet (default: the first visible one that has any value) as frames."""
    from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

    try:
        book = CalamineWorkbook.from_path(path)
        worksheets = [meta for meta in book.sheets_metadata if meta.typ == SheetTypeEnum.WorkSheet]
        names = [meta.name for meta in worksheets]
        if wanted and wanted not in names:
            return send("no-sheet", names)
        if wanted:
            name, sheet = wanted, book.get_sheet_by_name(wanted)
        else:
            name, sheet = (names or [""])[0], None
            for meta in sorted(worksheets, key=lambda meta: meta.visible != SheetVisibleEnum.Visible):
                candidate = book.get_sheet_by_name(meta.name)
                if candidate.start is not None:
                    name, sheet = meta.name, candidate
                    break
                del candidate
        book.close()
        send("sheet", name, names)
        if sheet is not None and sheet.start is not None:
            _send_rows(sheet, send, longest, batch_size)
        send("end")
    except PasswordError:
        send("password")


def _send_rows(sheet: Any, send: Callable[..., None], longest: int, batch_size: int) -> None:
    pad = [None] * sheet.start[1]  # iter_rows starts at row 1 but at the first used column
    batch = []
    for number, values in enumerate(sheet.iter_rows(), 1):
        # "" is an empty cell, a whole float was an Excel integer, a longer string is cut.
        cells = [
            (value[:longest] or None) if type(value) is str else _whole(value) if type(value) is float else value
            for value in values
        ]
        while cells and cells[-1] is None:
            cells.pop()
        if cells:
            batch.append((number, pad + cells))
            if len(batch) == batch_size:
                send("rows", batch)
                batch = []
    send("rows", batch)


def _whole(number: float) -> int | float:
    return int(number) if number.is_integer() else number
