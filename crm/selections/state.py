"""What a list page shows of the user's selection: the bar's count, which rows on the page are ticked."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from crm.selections import service
from crm.selections.kinds import ListKind


@dataclass
class SelectionState:
    kind: ListKind
    count: int  # selected in all, on every page and every filter
    matching: int  # what the list matches now ("select all N that match")
    back: str  # the list's query string without its page: where actions return, what "all" selects
    shown: list[int] = field(default_factory=list)  # the rows on this page
    ticked: set[int] = field(default_factory=set)  # those of them selected

    @property
    def all_matching_ticked(self) -> bool:
        return self.matching > 0 and self.matching <= self.count and len(self.ticked) == len(self.shown)

    @property
    def label(self) -> str:
        return f"{self.count} selected"


def selection_state(user_id: int, kind_name: str, shown: Iterable[int], matching: int, args) -> SelectionState:
    """`args`: the list's query arguments (a MultiDict); the page number is left out of `back`."""
    kind = service.list_kind(kind_name)
    shown = list(shown)
    pairs = [(name, value) for name, values in args.lists() if name != "page" for value in values]
    return SelectionState(
        kind=kind,
        count=service.count(user_id, kind_name),
        matching=matching,
        back=urlencode(pairs),
        shown=shown,
        ticked=service.selected_among(user_id, kind_name, shown),
    )
