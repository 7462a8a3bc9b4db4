"""What a sheet holds before it is a file: a header of typed columns and a stream of row tuples."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

TEXT, NUMBER, DATE = "text", "number", "date"


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = TEXT  # TEXT cells are neutralised, NUMBER and DATE cells are written as such
    max_width: int = 40  # characters; long notes should not push everything off screen


@dataclass
class Table:
    """One sheet: `rows` yields tuples in column order (None for an empty cell), lazily."""

    sheet: str
    columns: tuple[Column, ...]
    rows: Iterable[tuple[Any, ...]]
    written: int = 0  # rows handed out so far: the count the audit entry records

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        for row in self.rows:
            self.written += 1
            yield row

    @property
    def labels(self) -> list[str]:
        return [column.label for column in self.columns]


def joined(values: Iterable[str], separator: str = "; ") -> str:
    """Several values in one cell, as the importer splits them again."""
    return separator.join(value for value in values if value)
