"""What every reader hands over, and how it refuses a file.

Values are str, int, float, bool or datetime.date/datetime/time/timedelta. An empty cell is
None, trailing empty cells are dropped and blank rows are not yielded (row numbers keep the
gaps). A formula gives the value Excel cached when it last saved the file; an error cell
(#N/A) is empty. A merged range keeps its value in its top-left cell only, as Excel stores
it. Whole numbers come back as int: Excel stores every number as a float.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from crm.errors import DomainError

MB = 1024 * 1024

# Refusals more than one reader gives.
DAMAGED = "The file is damaged or not a real spreadsheet, so it cannot be read."
PASSWORD = "The file is protected by a password; remove the password in Excel and upload it again."
NOT_TEXT = "This file is not a spreadsheet or a text table."


class UnreadableFile(DomainError):
    """The file cannot be imported at all; the message is one sentence for the person."""


class SheetNotFound(UnreadableFile):
    def __init__(self, wanted: str, sheet_names: list[str]) -> None:
        self.sheet_names = sheet_names
        listed = ", ".join(f'"{name}"' for name in sheet_names) or "none"
        super().__init__(f'There is no sheet called "{wanted}" in this file; its sheets are: {listed}.')


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50 * MB  # the upload itself
    max_unpacked_bytes: int = 512 * MB  # a workbook's parts once unzipped, all together
    max_ratio: int = 100  # unzipped / zipped size of one part; real sheets compress 5-20 times
    max_parts: int = 10_000  # zip entries; each costs memory before any check can run
    max_memory: int = 1024 * MB  # address space of the calamine child
    max_seconds: int = 60  # CPU time of the calamine child
    # Longer workbook cells are cut here, so one cell cannot be as large as the unzipped file.
    # Excel holds 32,767 characters at most, so validation rejects the row either way.
    max_cell_chars: int = 8 * MB


@dataclass(frozen=True, slots=True)
class RawRow:
    number: int  # as the spreadsheet shows it, from 1; for CSV the record number
    cells: list  # cells[0] is column A; None for an empty cell; never ends with None


@dataclass
class Sheet:
    name: str
    sheet_names: list[str]
    kind: str  # "xlsx", "xls", "ods", "csv" or "xml"
    rows: Iterator[RawRow]
    encoding: str | None = None  # CSV only: as detected, or as given
    delimiter: str | None = None  # CSV only
    on_close: Callable[[], None] | None = field(default=None, repr=False)

    def close(self) -> None:
        """Stop reading early: closes the file or ends the reader process, even if no row was read."""
        close = getattr(self.rows, "close", None)
        if close:
            close()
        if self.on_close:
            self.on_close()

    def __enter__(self) -> Sheet:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def only_sheet_name(path_stem: str, wanted: str | None) -> str:
    """The one sheet of a text or XML file is named after the file; asking for another is refused."""
    if wanted not in (None, "", path_stem):
        raise SheetNotFound(wanted, [path_stem])
    return path_stem


def describe_size(size: int) -> str:
    """ "3 KB", "1.5 MB", "50 MB": a size as the refusals say it."""
    if size < MB:
        return f"{max(size // 1024, 1)} KB"
    return f"{size / MB:.0f} MB" if size >= 10 * MB else f"{size / MB:.1f} MB"
