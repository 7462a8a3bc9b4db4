"""One page of a newest-first list shown as a section of a record's page (its history, its outreach).

A record's page holds several such lists, each paged by its own query argument (`history_page`,
`outreach_page`), so that the contact on 2 000 outreach entries opens like one on seven: each list
reads one LIMITed page, and its total comes from a COUNT, not from the rows."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from crm.ids import optional_int

PER_PAGE = 20
# A page number past this is no page anyone follows "Older" to; it would only make the database skip rows.
LAST_PAGE = 100_000


@dataclass(slots=True)
class Section:
    items: list[Any]
    total: int
    page: int
    per_page: int = PER_PAGE

    def __iter__(self) -> Iterator[Any]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def older(self) -> int | None:
        """The page after this one (older entries), if there is one."""
        return self.page + 1 if self.page * self.per_page < self.total else None

    @property
    def newer(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def first_index(self) -> int:
        return self.offset + 1 if self.items else 0

    @property
    def last_index(self) -> int:
        return self.offset + len(self.items)


def page_of(args: Mapping[str, str], name: str) -> int:
    """The page a query argument asks for: 1 for none, junk or zero."""
    return min(optional_int(args.get(name)) or 1, LAST_PAGE)
