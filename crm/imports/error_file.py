"""The error file: the rows a batch did not take, as they were, plus an "Errors" column — fix and re-import."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import xlsxwriter
from sqlalchemy import select

from crm.extensions import db
from crm.imports import batches
from crm.imports.models import ImportProblem, ImportRun
from crm.imports.results import EXCEL_CELL_LIMIT


@dataclass
class RowProblems:
    row_number: int
    status: str
    messages: list[str]
    cells: list | None


def problems(run: ImportRun, *, limit: int | None = None) -> list[RowProblems]:
    """Rows with their problems, in sheet order; `limit` counts rows, not messages."""
    rows: dict[int, RowProblems] = {}
    query = (
        select(ImportProblem).where(ImportProblem.run_id == run.id).order_by(ImportProblem.row_number, ImportProblem.id)
    )
    for problem in db.session.scalars(query):
        row = rows.get(problem.row_number)
        if row is None:
            if limit is not None and len(rows) >= limit:
                break
            row = rows[problem.row_number] = RowProblems(problem.row_number, problem.status, [], problem.cells)
        column = f"{problem.column}: " if problem.column else ""
        if problem.message:
            row.messages.append(f"{column}{problem.message}")
    return list(rows.values())


def write(run: ImportRun) -> Path:
    path = batches.imports_dir() / str(run.id) / "errors.xlsx"  # also for a run from the command line
    path.parent.mkdir(parents=True, exist_ok=True)
    # Never formulas or links: a cell that looks like one stays the text it was.
    workbook = xlsxwriter.Workbook(
        str(path), {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = workbook.add_worksheet("Rows to fix")
    bold = workbook.add_format({"bold": True})
    wrap = workbook.add_format({"text_wrap": True, "font_color": "#9c0006"})
    labels = list(run.labels or [])
    header = ["Row", *labels, "Errors"]
    for column, label in enumerate(header):
        sheet.write_string(0, column, label, bold)
    sheet.freeze_panes(1, 0)
    line = 0
    for line, row in enumerate(problems(run), start=1):
        sheet.write_number(line, 0, row.row_number)
        cells = list(row.cells or [])
        for column, value in enumerate(cells[: max(len(labels), len(cells))], start=1):
            _write(sheet, line, column, value)
        sheet.write_string(line, len(labels) + 1, "\n".join(row.messages)[:EXCEL_CELL_LIMIT], wrap)
    sheet.autofilter(0, 0, max(line, 1), len(header) - 1)
    sheet.set_column(len(labels) + 1, len(labels) + 1, 60)
    workbook.close()
    return path


def _write(sheet, line: int, column: int, value) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(line, column, value)
    elif isinstance(value, int | float):
        sheet.write_number(line, column, value)
    else:
        # A 5 MB cell is why such a row was refused; Excel holds 32,767 characters.
        sheet.write_string(line, column, str(value)[:EXCEL_CELL_LIMIT])
