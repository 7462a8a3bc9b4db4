"""The totals and every breakdown of a report, summed from the joint counts of `queries`.

The database passes once over the recipients and once over the responses (plus once over each
for the roles held), instead of once per breakdown, since each pass over a big campaign's
recipients is what a report costs. Each row it returns counts the recipients (or responses) sharing one combination of
campaign, kind, category, country and organisation recipient, by days to reply (or by effect);
a breakdown adds up the rows by its own value.

Political group and organisation come from the roles held on the sent date: a row of
`recipient_roles` names every organisation its recipients belonged to that day, so someone in two
groups counts in both, once each, and leaves the "No group" row once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from crm.reports.figures import Breakdown, BreakdownRow, ReplyStats

Key = object  # a dimension's value: an id, a country code, a category marker, or None for "none"
ORGANISATIONS = "organisations"  # the category key of organisations (recipients that are not people)


@dataclass
class Tally:
    """Per dimension and value: recipients by days to reply, and responses by effect."""

    days: dict[str, dict[Key, Counter]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(Counter)))
    effects: dict[str, dict[Key, Counter]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(Counter)))

    def add_recipients(self, rows) -> None:
        """`queries.recipient_counts` rows."""
        for keys, days, count in _split(rows):
            for dimension, key in keys.items():
                self.days[dimension][key][days] += count

    def add_responses(self, rows) -> None:
        """`queries.response_counts` rows."""
        for keys, effect, count in _split(rows):
            for dimension, key in keys.items():
                self.effects[dimension][key][effect] += count

    def add_recipient_roles(self, rows, groups: set[int]) -> None:
        """`queries.recipient_roles` rows; `groups`: which of the organisations are political groups."""
        for held, days, count in rows:
            self._move_to_roles(self.days, held_ids(held), groups, days, count, organisations=True)

    def add_response_roles(self, rows, groups: set[int]) -> None:
        """`queries.response_roles` rows: a response for an organisation stays with that organisation."""
        for held, effect, for_organisation, count in rows:
            self._move_to_roles(self.effects, held_ids(held), groups, effect, count, organisations=not for_organisation)

    @staticmethod
    def _move_to_roles(table, held: set[int], groups: set[int], measure, count: int, *, organisations: bool) -> None:
        """Move `count` from "No group" to each group held and, with `organisations`, from "No
        organisation" to each other organisation held."""
        for dimension, ids in (("group", held & groups), ("organisation", held - groups if organisations else set())):
            if ids:
                table[dimension][None][measure] -= count
                for organisation_id in ids:
                    table[dimension][organisation_id][measure] += count

    def stats(self, dimension: str, key: Key) -> ReplyStats:
        stats = ReplyStats.from_days(self.days[dimension].get(key, {}).items())
        for effect, count in self.effects[dimension].get(key, {}).items():
            stats.outcomes[effect if effect in stats.outcomes else "other"] += count
        return stats

    def breakdown(self, dimension: str, title: str, label_of) -> Breakdown:
        """The rows of one dimension, most recipients first; `label_of(key)` names a value."""
        rows = []
        for key in self.days[dimension].keys() | self.effects[dimension].keys():
            stats = self.stats(dimension, key)
            if stats.recipients or stats.responses:  # "No group" may have lost every row to the groups
                rows.append(BreakdownRow(label_of(key), stats))
        rows.sort(key=lambda row: (-row.stats.recipients, -row.stats.responses, row.label))
        return Breakdown(dimension, title, rows)


def _split(rows):
    """(keys by dimension, days or effect, count) from a `recipient_counts` or `response_counts` row."""
    for campaign_id, kind_id, is_person, organisation_id, category_id, country, measure, count in rows:
        keys = {
            "total": None,
            "campaign": campaign_id,
            "kind": kind_id,
            "category": category_id if is_person else ORGANISATIONS,
            "country": country,
            "group": None,
            "organisation": organisation_id,
        }
        yield keys, measure, count


def held_ids(held: str) -> set[int]:
    """The organisation ids of a `held` column."""
    return {int(value) for value in held.split(",")}
