"""What an import did, row by row: the preview, the CLI's --json and the result page read this."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any


class RowStatus(StrEnum):
    """What the import did with one row of the file (stored as its value in ImportProblem.status).

    Here rather than beside the models: the cleaners and the writer use this module and need no ORM."""

    CREATED = "created"
    UPDATED = "updated"
    SKIPPED = "skipped"
    REJECTED = "rejected"


STATUSES = tuple(RowStatus)
EXCEL_CELL_LIMIT = 32_767

ERROR = "error"  # the value cannot be used and is left out; in a result, the row's errors
WARNING = "warning"  # the value is used, but was guessed or changed: worth a look


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with a row, or guessed about it: from the cleaners, checks, matching and writer alike.

    The cleaners (crm.imports.clean) name the field key ("phone"): they know no columns. The
    row's result names the column as its header says it ("Tel."), see `in_column`.
    """

    column: str  # the field key while cleaning, then the header label; "" for the row as a whole
    message: str  # one sentence for the campaigner, naming the value
    severity: str = ERROR
    choices: tuple = ()  # other readings of the value, the one used first (ambiguous dates)

    def in_column(self, label: str) -> Problem:
        return replace(self, column=label)

    def as_dict(self) -> dict[str, str]:
        return {"column": self.column, "message": self.message}


@dataclass(slots=True)
class Candidate:
    """An existing person (or an earlier row) a row may be."""

    person_id: int | None
    row_number: int | None  # an earlier row of the same file
    name: str
    score: float
    reasons: list[str]


@dataclass(slots=True)
class RowResult:
    row: int  # as the spreadsheet shows it
    status: RowStatus
    id: int | None = None  # the person created or updated (None in a dry run's creates)
    # Tuples until there is something to say: most of 100 000 rows have nothing, and an empty
    # list each was a tenth of an import's memory.
    errors: Sequence[Problem] = ()
    warnings: Sequence[Problem] = ()
    candidates: Sequence[Candidate] = ()
    changes: dict[str, list[Any]] | None = None  # field → [before, after] for an update (preview)
    values: dict[str, Any] | None = None  # normalised values, kept for the preview's first rows only
    cells: list | None = None  # the row as it was, kept for rejected rows (the error file)

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "status": self.status,
            "id": self.id,
            "errors": [problem.as_dict() for problem in self.errors],
            "warnings": [problem.as_dict() for problem in self.warnings],
        }


@dataclass
class ImportResult:
    file_name: str
    sheet: str
    header_row: int | None
    labels: list[str]
    mapping: dict[int, str]
    dry_run: bool
    run_id: int | None = None  # the ImportRun written; None for a dry run
    rows: list[RowResult] = field(default_factory=list)
    ended_roles: int = 0  # refresh of an official list: roles of people no longer on it
    message: str = ""  # one sentence when nothing could be imported (header only, no header found)

    @property
    def counts(self) -> Counter:
        counts = Counter({status: 0 for status in STATUSES})
        counts.update(row.status for row in self.rows)
        return counts

    @property
    def ignored_columns(self) -> list[str]:
        """The header labels of the columns no field takes (columns without a label left out)."""
        return [label for index, label in enumerate(self.labels) if label and index not in self.mapping]

    @property
    def has_data_rows(self) -> bool:
        """Whether anything stands below the header (rows above it are reported too)."""
        return any(row.row > (self.header_row or 0) for row in self.rows)

    @property
    def rejected_rows(self) -> list[RowResult]:
        return [row for row in self.rows if row.status == RowStatus.REJECTED]

    def as_json(self) -> dict[str, Any]:
        counts = self.counts
        return {
            # "batch_id" is the run's id under its old name: `crm import --json` is a contract that
            # staff scripts read, so it stays beside "run_id".
            "batch_id": self.run_id,
            "run_id": self.run_id,
            **{status.value: counts[status] for status in RowStatus},
            "rows": [row.as_dict() for row in self.rows],
            "ignored_columns": self.ignored_columns,
        }


def storable(cells: list | None) -> list | None:
    """Cells as JSON can hold them (dates as ISO text, giant cells cut), for the error file."""
    if cells is None:
        return None
    stored = []
    for value in cells:
        if isinstance(value, dt.date | dt.time | dt.datetime):
            value = value.isoformat()
        elif isinstance(value, dt.timedelta):
            value = str(value)
        elif isinstance(value, str) and len(value) > EXCEL_CELL_LIMIT:
            value = value[:EXCEL_CELL_LIMIT]
        stored.append(value)
    return stored
