import datetime as dt

import pytest

from crm.imports.clean.dates import DAY_FIRST, MONTH_FIRST, clean_date, guess_date_order
from crm.imports.results import ERROR, WARNING

D = dt.date
OCT_31 = D(2017, 10, 31)  # Dzhakishev's eye surgery in Karaganda


def clean(value, **options):
    problems = []
    result = clean_date(value, "role_start", problems, **options)
    return result, problems


@pytest.mark.parametrize(
    "value, expected",
    [
        # What the reader gives for date cells
        (OCT_31, OCT_31),
        (dt.datetime(2017, 10, 31, 14, 5), OCT_31),
        # ISO and its variants
        ("2017-10-31", OCT_31),
        ("2017-10-31 00:00:00", OCT_31),
        ("2017-10-31T09:30:00Z", OCT_31),
        ("2017/10/31", OCT_31),
        ("2017.10.31", OCT_31),
        ("2017. 10. 31.", OCT_31),  # Hungarian
        # Day first, with dots (always), slashes and dashes
        ("31.10.2017", OCT_31),
        ("31. 10. 2017", OCT_31),
        ("1.3.2018", D(2018, 3, 1)),
        ("31/10/2017", OCT_31),
        ("31-10-2017", OCT_31),
        ("31.10.17", OCT_31),
        ("31/10/2017 14:05", OCT_31),
        # Month first, when the numbers say so
        ("10/31/2017", OCT_31),
        ("10/31/2017 2:05 PM", OCT_31),
        # The same number twice is never ambiguous
        ("05/05/2018", D(2018, 5, 5)),
        # Months written out, in the languages of the lists
        ("31 October 2017", OCT_31),
        ("October 31, 2017", OCT_31),
        ("Oct. 31st, 2017", OCT_31),
        ("Tuesday, 31st October 2017", OCT_31),
        ("31-Oct-2017", OCT_31),
        ("31 octobre 2017", OCT_31),
        ("31. Oktober 2017", OCT_31),
        ("31 ottobre 2017", OCT_31),
        ("31 de octubre de 2017", OCT_31),
        ("31 października 2017 r.", OCT_31),
        ("31. října 2017", OCT_31),
        ("31 октября 2017 г.", OCT_31),
        ("31 жовтня 2017", OCT_31),
        ("2017 október 31.", OCT_31),
        ("31 окт. 2017", OCT_31),
        ("27 décembre 2017", D(2017, 12, 27)),
        ("27 Dez. 2017", D(2017, 12, 27)),
        ("25 January 2018", D(2018, 1, 25)),  # the second PACE declaration
        ("1 března 2018", D(2018, 3, 1)),
        ("10 września 2019", D(2019, 9, 10)),  # the parole hearing
        # Excel serial numbers, as int, float and text
        (43039, OCT_31),
        (43039.0, OCT_31),
        (43039.75, OCT_31),  # with a time of day
        ("43039", OCT_31),
        (61, D(1900, 3, 1)),  # after Excel's phantom 29 February 1900
        # A year or a month alone: its first day
        ("2017", D(2017, 1, 1)),
        (2017, D(2017, 1, 1)),
        ("Oct 2017", D(2017, 10, 1)),
        ("październik 2017", D(2017, 10, 1)),
        ("10/2017", D(2017, 10, 1)),
        ("10.2017", D(2017, 10, 1)),
        ("2017-10", D(2017, 10, 1)),
    ],
)
def test_dates(value, expected):
    assert clean(value) == (expected, [])


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2019", D(2019, 12, 31)),
        (2019, D(2019, 12, 31)),
        ("Feb 2016", D(2016, 2, 29)),
        ("07/2019", D(2019, 7, 31)),
        ("2019-07-01", D(2019, 7, 1)),  # a whole date stays what it is
    ],
)
def test_an_end_date_given_as_a_year_or_month_is_its_last_day(value, expected):
    problems = []
    assert clean_date(value, "role_end", problems, end=True) == expected
    assert problems == []


def test_an_ambiguous_date_is_read_day_first_and_flagged_with_both_readings():
    value, problems = clean("03/04/2017")
    assert value == D(2017, 4, 3)
    [problem] = problems
    assert problem.column == "role_start"
    assert problem.severity == WARNING
    assert problem.message == "“03/04/2017” could be 3 April 2017 or 4 March 2017; it was read as 3 April 2017."
    assert problem.choices == (D(2017, 4, 3), D(2017, 3, 4))


@pytest.mark.parametrize(
    "value, order, expected",
    [
        ("03/04/2017", DAY_FIRST, D(2017, 4, 3)),
        ("03/04/2017", MONTH_FIRST, D(2017, 3, 4)),
        ("03-04-2017", MONTH_FIRST, D(2017, 3, 4)),
        ("03.04.2017", MONTH_FIRST, D(2017, 4, 3)),  # dots are day-first whatever the hint says
        ("31/10/2017", MONTH_FIRST, OCT_31),  # the numbers overrule the hint
        ("10/31/2017", DAY_FIRST, OCT_31),
    ],
)
def test_the_files_date_order_decides_without_a_warning(value, order, expected):
    assert clean(value, order=order) == (expected, [])


@pytest.mark.parametrize(
    "value, message",
    [
        ("31.02.2017", "“31.02.2017” is not a real date."),
        ("31 sept. 2017", "“31 sept. 2017” is not a real date."),
        ("13/13/2017", "“13/13/2017” is not a real date."),
        ("2017-13-01", "“2017-13-01” is not a real date."),
        ("13/2017", "“13/2017” is not a real date."),
        ("soon", "“soon” is not a date we can read; write it as 31.10.2017 or 2017-10-31."),
        ("autumn 2017", "“autumn 2017” is not a date we can read; write it as 31.10.2017 or 2017-10-31."),
        ("31 October", "“31 October” is not a date we can read; write it as 31.10.2017 or 2017-10-31."),
        ("1 2 3", "“1 2 3” is not a date we can read; write it as 31.10.2017 or 2017-10-31."),
        ("1850", "“1850” is not a date between 1900 and 2100."),
        ("25 December 1899", "“25 December 1899” is not a date between 1900 and 2100."),
        (1850, "“1850” is not a date between 1900 and 2100."),
        (60, "“60” is not a date."),  # Excel's 29 February 1900, which never was
        (-5, "“-5” is not a date."),
        (123456789, "“123456789” is not a date."),
        (10**30, f"“1{'0' * 30}” is not a date."),
        (True, "“TRUE” is not a date."),
        (float("inf"), "“inf” is not a date."),
        (D(9999, 12, 31), "“9999-12-31” is not a date between 1900 and 2100."),
        (dt.datetime(1, 1, 1), "“0001-01-01” is not a date between 1900 and 2100."),
        (dt.time(9, 30), "“09:30:00” is a time of day, not a date."),
    ],
)
def test_what_is_not_a_date_is_an_error_naming_it(value, message):
    result, problems = clean(value)
    assert result is None
    assert [(p.severity, p.message) for p in problems] == [(ERROR, message)]


@pytest.mark.parametrize("value", [None, "", "  ", "n/a", "-", float("nan")])
def test_blank_dates(value):
    assert clean(value) == (None, [])


@pytest.mark.parametrize(
    "values, order",
    [
        (["31/10/2017", "03/04/2017", None, OCT_31, 43039], DAY_FIRST),
        (["10/31/2017", "03/04/2017"], MONTH_FIRST),
        (["31/10/2017", "10/31/2017"], None),  # the column disagrees with itself
        (["03/04/2017", "05/06/2018"], None),  # nothing settles it
        (["31.10.2017", "10.31.2017"], None),  # dots say nothing about the slashes
        ([], None),
    ],
)
def test_guess_date_order_from_a_column(values, order):
    assert guess_date_order(values) == order
