"""A Table as CSV: UTF-8 with a byte-order mark (so Excel reads the accents), ISO dates.

The header leaves before any query runs, so a download starts at once; then rows are
encoded a chunk at a time, so memory holds one chunk whatever the length of the list. (Inside this package the
name shadows nothing: `import csv` below is the standard library's.)
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from crm.spreadsheets.safe import FORMULA_STARTS, neutralise
from crm.spreadsheets.table import TEXT, Table

MIMETYPE = "text/csv; charset=utf-8"
ROWS_PER_CHUNK = 500
_CHECK_FIRST = FORMULA_STARTS | {"'", "<"}


def csv_chunks(table: Table, *, rows_per_chunk: int = ROWS_PER_CHUNK) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(table.labels)
    # The header goes out at once: a download starts before the first query has returned.
    yield _take(buffer)
    texts = [column.kind == TEXT for column in table.columns]
    for count, row in enumerate(table, start=1):
        writer.writerow([_cell(value, is_text) for value, is_text in zip(row, texts, strict=True)])
        if count % rows_per_chunk == 0:
            yield _take(buffer)
    yield _take(buffer)


def _take(buffer: io.StringIO) -> bytes:
    data = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    return data


def _cell(value: Any, is_text: bool) -> Any:
    if value is None:
        return ""
    if is_text:
        return neutralise(value) if value and value[0] in _CHECK_FIRST else value
    return value.isoformat() if isinstance(value, date) else value


def write_csv(table: Table, target: str | Path) -> int:
    with open(target, "wb") as handle:
        for chunk in csv_chunks(table):
            handle.write(chunk)
    return table.written
