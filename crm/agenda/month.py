"""The month view: a month's events laid out in weeks, Monday first."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from crm.agenda.events import AgendaEvent, Scope, agenda_events

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str | None, today: date) -> date:
    """ "2019-09" → 1 Sep 2019; anything else (missing, junk, year 0) → this month."""
    found = _MONTH.match(text or "")
    if found:
        year, month = int(found.group(1)), int(found.group(2))
        if 1900 <= year <= 2999 and 1 <= month <= 12:
            return date(year, month, 1)
    return today.replace(day=1)


@dataclass
class Day:
    on: date
    in_month: bool
    events: list[AgendaEvent] = field(default_factory=list)


@dataclass
class Month:
    first: date
    weeks: list[list[Day]]
    previous: date
    next: date

    @property
    def title(self) -> str:
        return self.first.strftime("%B %Y")

    @property
    def days_with_events(self) -> list[Day]:
        """The list layout (phones): only days of this month that have something."""
        return [day for week in self.weeks for day in week if day.in_month and day.events]

    @property
    def event_count(self) -> int:
        return sum(len(day.events) for day in self.days_with_events)


def month_agenda(first: date, *, campaign_id: int | None = None, owner_id: int | None = None) -> Month:
    _, length = calendar.monthrange(first.year, first.month)
    after = first + timedelta(days=length)
    grid_start = first - timedelta(days=first.weekday())
    grid_end = after + timedelta(days=(7 - after.weekday()) % 7)
    events = agenda_events(Scope(start=first, end=after, campaign_id=campaign_id, owner_id=owner_id))
    days = {
        grid_start + timedelta(days=n): Day(grid_start + timedelta(days=n), False)
        for n in range((grid_end - grid_start).days)
    }
    for day in days.values():
        day.in_month = first <= day.on < after
    for event in events:
        days[event.day].events.append(event)
    ordered = list(days.values())
    weeks = [ordered[index : index + 7] for index in range(0, len(ordered), 7)]
    previous = (first - timedelta(days=1)).replace(day=1)
    return Month(first=first, weeks=weeks, previous=previous, next=after)
