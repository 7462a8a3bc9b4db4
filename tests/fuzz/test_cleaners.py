"""The import's cleaners (crm.imports.clean) and normalise_row on any cell a reader can give:
a clean value and Problems for what was wrong, never an exception."""

from __future__ import annotations

import datetime as dt

import pycountry
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from crm.contacts.sheet_fields import FIELDS
from crm.imports.clean import choices, countries, dates, emails, names, phones, text
from crm.imports.clean.row import NAME_COLUMNS, Hints, NormalisedRow, normalise_row
from crm.imports.results import ERROR, WARNING, Problem
from tests.fuzz import FUZZ

# Text made of what the cleaners look for gets past their first checks; arbitrary text finds the rest.
DATE_LIKE = st.text(alphabet="0123456789 ./-:TAPMamp,JanOctмаяоктября", max_size=30)
NAME_LIKE = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcxyz ,.-'()ДжакишевМухтарMrsDr.Hon", max_size=60)
PHONE_LIKE = st.text(alphabet=" +-0123456789().,;:/xXteElT#*\u00a0\u200b", max_size=60)
EMAIL_LIKE = st.text(alphabet="abcAZ09.-_+@ []<>:;,mailto\"'\u200b", max_size=60)
TEXT = st.one_of(st.text(), st.text(min_size=100, max_size=3000), DATE_LIKE, NAME_LIKE, PHONE_LIKE, EMAIL_LIKE)
# Every kind of value a reader gives: workbooks give numbers, flags and dates, text and XML give str.
CELL = st.one_of(
    st.none(),
    TEXT,
    st.integers(),
    st.integers(-(2**63), 2**63),
    st.floats(),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.timedeltas(),
)
REGIONS = st.one_of(st.none(), st.sampled_from(sorted(country.alpha_2 for country in pycountry.countries) + ["XK"]))
CATEGORIES = st.one_of(
    st.none(), st.lists(st.tuples(TEXT, st.one_of(st.none(), st.text(max_size=10))), max_size=4).map(tuple)
)
HINTS = st.builds(
    Hints,
    country=REGIONS,
    date_order=st.sampled_from([None, dates.DAY_FIRST, dates.MONTH_FIRST]),
    categories=CATEGORIES,
)


def problems_only(found: list) -> None:
    assert all(type(problem) is Problem for problem in found)
    assert all(problem.message and problem.severity in (ERROR, WARNING) for problem in found)


CELL_CLEANERS = [
    text.clean_text,
    text.clean_notes,
    text.clean_id,
    text.clean_tags,
    text.clean_committees,
    text.clean_bool,
    emails.clean_emails,
    countries.clean_country,
    countries.clean_languages,
    choices.clean_political_group,
    choices.clean_lawful_basis,
]


@pytest.mark.parametrize("cleaner", CELL_CLEANERS, ids=lambda cleaner: cleaner.__name__)
@settings(FUZZ, max_examples=150)
@given(cell=CELL)
def test_cell_cleaners(cleaner, cell):
    found: list[Problem] = []
    cleaner(cell, "field", found)
    problems_only(found)


@settings(FUZZ, max_examples=300)
@given(cell=CELL, order=st.sampled_from([None, dates.DAY_FIRST, dates.MONTH_FIRST]), end=st.booleans())
def test_dates(cell, order, end):
    found: list[Problem] = []
    day = dates.clean_date(cell, "role_start", found, order=order, end=end)
    assert day is None or (type(day) is dt.date and dates.EARLIEST <= day <= dates.LATEST)
    problems_only(found)


@settings(FUZZ, max_examples=150)
@given(column=st.lists(CELL, max_size=8))
def test_date_order(column):
    assert dates.guess_date_order(column) in (None, dates.DAY_FIRST, dates.MONTH_FIRST)


@settings(FUZZ, max_examples=300)
@given(columns=st.dictionaries(st.sampled_from(sorted(NAME_COLUMNS)), CELL, max_size=5))
def test_names(columns):
    found: list[Problem] = []
    parts = names.clean_person_name(columns, found)
    assert all(part is None or type(part) is str for part in parts)
    problems_only(found)


@settings(FUZZ, max_examples=300)
@given(written=TEXT)
@example(written="")  # split_full_name read the last character of an empty name
def test_name_helpers(written):
    tidied = text.tidy(written)  # what the name helpers are given
    names.split_full_name(tidied)
    names.recase(tidied)
    names.canonical_honorific(tidied)
    names.take_honorifics(tidied.split())
    names.is_patronymic(tidied)
    text.split_list(written)
    choices.political_group(written)


@settings(FUZZ, max_examples=300)
@given(cell=CELL, region=REGIONS)
def test_phones(cell, region):
    found: list[Problem] = []
    numbers = phones.clean_phones(cell, region, "phone", found)
    assert all(type(number) is str and number for number in numbers)
    problems_only(found)


@settings(FUZZ, max_examples=200)
@given(written=st.one_of(EMAIL_LIKE, st.text()))
def test_one_email(written):
    found: list[Problem] = []
    addresses = emails.clean_email(written, "email", found)
    assert all(type(address) is str and "@" in address for address in addresses)
    problems_only(found)


@settings(FUZZ, max_examples=150)
@given(cell=CELL, country=REGIONS)
def test_postcodes(cell, country):
    found: list[Problem] = []
    countries.clean_postcode(cell, country, "postcode", found)
    problems_only(found)


@settings(FUZZ, max_examples=150)
@given(cell=CELL, categories=CATEGORIES)
def test_categories(cell, categories):
    found: list[Problem] = []
    index = choices.category_index(choices.default_categories() if categories is None else categories)
    choices.clean_category(cell, index, "category", found)
    problems_only(found)


ROW = st.dictionaries(st.sampled_from([field.key for field in FIELDS]), st.one_of(CELL, st.lists(CELL, max_size=3)))


@settings(FUZZ, max_examples=300)
@given(rows=st.lists(ROW, min_size=1, max_size=3), hints=HINTS)
def test_normalise_row(rows, hints):
    for values in rows:  # several rows share the hints' memo, as a file's rows do
        row = normalise_row(values, hints)
        assert type(row) is NormalisedRow
        assert "full_name" not in row.values and all(value not in (None, "", []) for value in row.values.values())
        problems_only(row.problems)
