"""Stage 1 of the import: a file on disk → its rows, streamed, by the reader its first bytes call for.

.xlsx/.xlsm, .xls and .ods are read by python-calamine (workbook), XML lists of records such
as the European Parliament's MEP list by xml_records, both in the reader process under its
memory and CPU limits (reader_process); .csv/.tsv by the csv module, here (text). sniff
refuses what is unsafe or no table before any of them starts.
"""

from __future__ import annotations

import os
from pathlib import Path

from crm.imports.read import workbook, xml_records
from crm.imports.read.reader_process import read_in_child
from crm.imports.read.sheet import Limits, Sheet, only_sheet_name
from crm.imports.read.sniff import kind_of_file
from crm.imports.read.text import read_text

DEFAULT_LIMITS = Limits()


def read_sheet(
    path: str | os.PathLike, sheet: str | None = None, *, limits: Limits = DEFAULT_LIMITS, encoding: str | None = None
) -> Sheet:
    """Open one sheet (default: the first visible one that has any value) for streaming.

    Every check that can refuse the file runs before this returns; iterating `rows` raises
    UnreadableFile only if the reader process dies midway or a text file stops being a
    table. `encoding` overrides detection for text files.
    """
    path = Path(path)
    kind = kind_of_file(path, limits)
    if kind == "csv":
        return read_text(path, sheet, encoding, limits)
    if kind == "xml":
        return read_in_child(Path(xml_records.__file__), path, kind, only_sheet_name(path.stem, sheet), limits)
    return read_in_child(Path(workbook.__file__), path, kind, sheet, limits)
