"""The error file: the rows an import rejected, as they were, plus an "Errors" column — fix and re-import.

Skipped rows (duplicates, totals, notes) are listed on the result page, not here: importing them
again would only skip them again."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Select, func, select

from crm.extensions import db
from crm.imports import runs
from crm.imports.models import ImportProblem, ImportRun
from crm.imports.results import EXCEL_CELL_LIMIT, RowStatus
from crm.sections import Section
from crm.spreadsheets.table import NUMBER, Column, Table
from crm.spreadsheets.xlsx_stream import write_xlsx


@dataclass
class RowProblems:
    row_number: int
    status: RowStatus
    messages: list[str]
    cells: list | None


def problems(
    run: ImportRun,
    *,
    statuses: tuple[str, ...] | None = None,
    limit: int | None = None,
    row_numbers: Select | None = None,
) -> list[RowProblems]:
    """Rows with their problems, in sheet order; `limit` counts rows, not messages.

    Rejected rows carry their errors, skipped rows their reason, created and updated rows
    their warnings; `statuses` picks among them, `row_numbers` (a statement) among the rows."""
    rows: dict[int, RowProblems] = {}
    query = (
        select(ImportProblem).where(ImportProblem.run_id == run.id).order_by(ImportProblem.row_number, ImportProblem.id)
    )
    if statuses is not None:
        query = query.where(ImportProblem.status.in_(statuses))
    if row_numbers is not None:
        query = query.where(ImportProblem.row_number.in_(row_numbers))
    for problem in db.session.scalars(query):
        row = rows.get(problem.row_number)
        if row is None:
            if limit is not None and len(rows) >= limit:
                break
            row = rows[problem.row_number] = RowProblems(
                problem.row_number, RowStatus(problem.status), [], problem.cells
            )
        column = f"{problem.column}: " if problem.column else ""
        if problem.message:
            row.messages.append(f"{column}{problem.message}")
    return list(rows.values())


def problems_page(run: ImportRun, statuses: tuple[str, ...], page: int, per_page: int) -> Section:
    """One page of the rows with problems, every one of them reachable page by page (a file re-imported
    unchanged skips all its rows), and how many there are."""
    rows = (
        select(ImportProblem.row_number)
        .where(ImportProblem.run_id == run.id, ImportProblem.status.in_(statuses))
        .distinct()
    )
    total = db.session.scalar(select(func.count()).select_from(rows.subquery())) or 0
    numbers = rows.order_by(ImportProblem.row_number).limit(per_page).offset((page - 1) * per_page)
    items = problems(run, statuses=statuses, row_numbers=numbers) if total else []
    return Section(items, total, page, per_page)


def write(run: ImportRun) -> Path:
    path = runs.imports_dir() / str(run.id) / "errors.xlsx"  # also for a run from the command line
    path.parent.mkdir(parents=True, exist_ok=True)
    labels = list(run.labels or [])
    columns = (Column("Row", NUMBER), *(Column(label or f"Column {index + 1}") for index, label in enumerate(labels)))
    table = Table("Rows to fix", (*columns, Column("Errors", max_width=80)), _rows(run, len(labels)))
    # Our own writer: every cell is plain text (a leading = + - @ guarded, which the importer
    # restores), so nothing in a refused row can become a formula or markup in the file.
    write_xlsx(table, path)
    return path


def _rows(run: ImportRun, width: int):
    for row in problems(run, statuses=(RowStatus.REJECTED,)):
        cells = list(row.cells or [])
        cells += [None] * (width - len(cells))
        text = [None if value is None else str(value)[:EXCEL_CELL_LIMIT] for value in cells[:width]]
        yield (row.row_number, *text, "\n".join(row.messages)[:EXCEL_CELL_LIMIT])
