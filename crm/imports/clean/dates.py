"""Dates as lists write them → datetime.date.

The reader already gives real dates for date-formatted cells. The rest: ISO text, 31.10.2017,
31/10/2017 and 10/31/2017, "2017", "Oct 2017", "31 октября 2017", and Excel serial numbers
(a date cell formatted as a number, 1900 date system). 03/04/2017 could be either day-first or
month-first: the caller's hint decides (`guess_date_order` reads it from the column's other
values); without one it is read day-first, as in Europe, with a warning naming both readings.
A year or a month alone gives the first day of it, or the last day for an end date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from crm.folding import plain_fold
from crm.imports.clean.text import as_text, load_data
from crm.imports.results import ERROR, WARNING, Problem

DAY_FIRST = "dmy"
MONTH_FIRST = "mdy"

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2100, 12, 31)
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 is 1900-01-01 once Excel's phantom 29 February 1900 is skipped
_MONTH_NAMES = ("", *calendar.month_name[1:])

_ISO = re.compile(r"^(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})\.?(?:[T ]\d{1,2}:\d{2}.*)?$")
_NUMERIC = re.compile(
    r"^(\d{1,2})\s*([./-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})\.?(?: \d{1,2}:\d{2}(?::\d{2})?(?: ?[AaPp][Mm])?)?$"
)
_MONTH_YEAR = re.compile(r"^(\d{1,2})\s*[./-]\s*(\d{4})$")
_YEAR_MONTH = re.compile(r"^(\d{4})\s*[./-]\s*(\d{1,2})$")
_WORDS = re.compile(r"\d+|[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class _Reading:
    value: dt.date | None
    message: str = ""
    severity: str = ERROR
    choices: tuple = ()


def human(day: dt.date) -> str:
    return f"{day.day} {_MONTH_NAMES[day.month]} {day.year}"


def clean_date(
    value: object, field: str, problems: list[Problem], *, order: str | None = None, end: bool = False
) -> dt.date | None:
    """`order` is DAY_FIRST or MONTH_FIRST for 03/04/2017, None when unknown; `end` picks the
    last day of a year or month given alone (a role that ended "2019")."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        if EARLIEST <= day <= LATEST:
            return day
        reading = _Reading(None, f"“{day.isoformat()}” is not a date between 1900 and 2100.")
    elif isinstance(value, bool):
        reading = _Reading(None, f"“{str(value).upper()}” is not a date.")  # as Excel shows it
    elif isinstance(value, int | float):
        if value != value:  # NaN: how pandas writes an empty cell
            return None
        reading = _from_number(value, end)
    elif isinstance(value, dt.time):
        reading = _Reading(None, f"“{value.isoformat()}” is a time of day, not a date.")
    else:
        text = as_text(value)
        if text is None:
            return None
        reading = _from_text(text, order, end)
    if reading.message:
        problems.append(Problem(field, reading.message, reading.severity, reading.choices))
    return reading.value


def _period(year: int, month: int | None, end: bool) -> dt.date:
    if month is None:
        return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
    return dt.date(year, month, calendar.monthrange(year, month)[1] if end else 1)


def _from_number(number: float, end: bool) -> _Reading:
    if not math.isfinite(number):
        return _Reading(None, f"“{number}” is not a date.")
    shown = str(int(number)) if number == int(number) else str(number)
    if number == int(number) and EARLIEST.year <= number <= LATEST.year:
        return _Reading(_period(int(number), None, end))  # "2017" typed into a date column
    if 1000 <= number < 10000:  # a year, but not one a contact's dates fall in
        return _Reading(None, f"“{shown}” is not a date between 1900 and 2100.")
    if number >= 61:  # Excel serial; below 61 it is early 1900, never a real contact date
        try:
            day = _EXCEL_EPOCH + dt.timedelta(days=int(number))
        except OverflowError:
            day = LATEST + dt.timedelta(days=1)
        if day <= LATEST:
            return _Reading(day)
    return _Reading(None, f"“{shown}” is not a date.")


def _century(year: int) -> int:
    if year >= 100:
        return year
    # Two-digit years: up to ten years ahead is this century, the rest the last one.
    pivot = dt.date.today().year % 100 + 10
    return 2000 + year if year <= pivot else 1900 + year


def _checked(text: str, year: int, month: int, day: int) -> _Reading:
    try:
        value = dt.date(year, month, day)
    except ValueError:
        return _Reading(None, f"“{text}” is not a real date.")
    if not EARLIEST <= value <= LATEST:
        return _Reading(None, f"“{text}” is not a date between 1900 and 2100.")
    return _Reading(value)


@lru_cache(maxsize=8192)
def _from_text(text: str, order: str | None, end: bool) -> _Reading:
    if match := _ISO.match(text):
        return _checked(text, int(match[1]), int(match[3]), int(match[4]))
    if match := _NUMERIC.match(text):
        return _numeric(text, match, order)
    if (
        text.isascii() and text.isdigit() and len(text) in (4, 5)
    ):  # a year, or a serial number a CSV export saved as text
        return _from_number(int(text), end)
    if match := _MONTH_YEAR.match(text):
        return _month_period(text, int(match[2]), int(match[1]), end)
    if match := _YEAR_MONTH.match(text):
        return _month_period(text, int(match[1]), int(match[2]), end)
    return _written(text, end)


def _month_period(text: str, year: int, month: int, end: bool) -> _Reading:
    if not 1 <= month <= 12:
        return _Reading(None, f"“{text}” is not a real date.")
    return _checked(text, *_period(year, month, end).timetuple()[:3])


def _numeric(text: str, match: re.Match, order: str | None) -> _Reading:
    first, separator, second, year = int(match[1]), match[2], int(match[3]), _century(int(match[4]))
    # Dots are always day-first (German, Russian, Polish, Czech); a number above 12 settles it too.
    if separator == "." or first > 12 or first == second:
        return _checked(text, year, second, first)
    if second > 12:
        return _checked(text, year, first, second)
    if order == MONTH_FIRST:
        return _checked(text, year, first, second)
    day_first = _checked(text, year, second, first)
    if order == DAY_FIRST or day_first.value is None:
        return day_first
    other = dt.date(year, first, second)
    return _Reading(
        day_first.value,
        f"“{text}” could be {human(day_first.value)} or {human(other)}; it was read as {human(day_first.value)}.",
        WARNING,
        (day_first.value, other),
    )


@cache
def _month_words() -> tuple[dict[str, int], frozenset[str]]:
    data = load_data("months.yaml")
    months: dict[str, int] = {}
    prefixes: dict[str, set[int]] = {}
    for month, names in data["months"].items():
        for name in names:
            key = plain_fold(name)
            months[key] = month
            for length in range(3, len(key)):
                prefixes.setdefault(key[:length], set()).add(month)
    for prefix, candidates in prefixes.items():
        if len(candidates) == 1 and prefix not in months:
            months[prefix] = candidates.pop()
    for month, names in data["abbreviations"].items():
        months.update((plain_fold(name), month) for name in names)
    return months, frozenset(plain_fold(word) for word in data["ignore"])


def _written(text: str, end: bool) -> _Reading:
    """ "31 October 2017", "October 31, 2017", "31. Oktober 2017", "Oct 2017", "31 октября 2017 г."."""
    months, ignore = _month_words()
    month = None
    numbers: list[int] = []
    for word in _WORDS.findall(text):
        if word.isdecimal():
            numbers.append(int(word))
            continue
        key = plain_fold(word)
        if key in ignore:
            continue
        if month is not None or key not in months:
            return _Reading(None, f"“{text}” is not a date we can read; write it as 31.10.2017 or 2017-10-31.")
        month = months[key]
    years = [number for number in numbers if number >= 1000]
    days = [number for number in numbers if number < 1000]
    if month is None or len(years) != 1 or len(days) > 1:
        return _Reading(None, f"“{text}” is not a date we can read; write it as 31.10.2017 or 2017-10-31.")
    if not days:
        return _month_period(text, years[0], month, end)
    return _checked(text, years[0], month, days[0])


def guess_date_order(values: Iterable[object]) -> str | None:
    """DAY_FIRST or MONTH_FIRST when a column's unambiguous dates (31/10/2017 or 10/31/2017)
    all agree, else None. Pass it to `Hints` so that 03/04/2017 in the same file follows them."""
    day_first = month_first = False
    for value in values:
        if not isinstance(value, str) or not (match := _NUMERIC.match(value.strip())) or match[2] == ".":
            continue
        first, second = int(match[1]), int(match[3])
        day_first |= first > 12 >= second
        month_first |= second > 12 >= first
    if day_first != month_first:
        return DAY_FIRST if day_first else MONTH_FIRST
    return None
