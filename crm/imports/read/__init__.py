"""Reading an uploaded file as rows: what the rest of the import uses.

    with read_sheet(path) as sheet:     # or UnreadableFile, one sentence for the person
        for row in sheet.rows: ...      # RawRow(number, cells)

The modules inside: `sheet` (the types and refusals every reader shares), `sniff` (what kind
of file, bombs, size limits), `reader_process` (the memory- and CPU-limited child that parses
workbooks and XML), `workbook` (xlsx/xls/ods) and `xml_records` (XML lists of records), both
run inside that child, `text` (CSV/TSV encodings and delimiters), `opening` (read_sheet).
"""

from crm.imports.read.opening import read_sheet
from crm.imports.read.sheet import Limits, RawRow, Sheet, SheetNotFound, UnreadableFile

__all__ = ["Limits", "RawRow", "Sheet", "SheetNotFound", "UnreadableFile", "read_sheet"]
