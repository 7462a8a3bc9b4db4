"""Stage 1 of the import: a file on disk → its rows, streamed, by the reader its first bytes call for.

.xlsx/.xlsm, .xls and .ods are read by python-calamine in a child process (workbook); .csv/.tsv
by the csv module (text); XML lists of records, such as the European Parliament's MEP list, by
xml_records. sniff refuses what is unsafe or no table before any of them starts.
"""

from __future__ import annotations

import os
from pathlib import Path

from crm.imports.read.sheet import Limits, Sheet
from crm.imports.read.sniff import kind_of_file
from crm.imports.read.text import read_text
from crm.imports.read.workbook import read_workbook
from crm.imports.read.xml_records import read_xml

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
    if kind == "xml":
        return read_xml(path, sheet, limits)
    if kind == "csv":
        return read_text(path, sheet, encoding, limits)
    return read_workbook(path, kind, sheet, limits)
