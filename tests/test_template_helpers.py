"""Template helpers format values as the pages show them."""

from datetime import date, datetime

from crm.template_helpers import format_date


def test_dates_and_times_are_formatted_apart():
    assert format_date(date(2017, 10, 11)) == "11 Oct 2017"
    assert format_date(datetime(2017, 10, 11, 9, 5)) == "11 Oct 2017 09:05 UTC"
    assert format_date(None) == ""
