"""Template helpers give the same text as the Flask and Python calls they stand in for."""

from datetime import date, datetime

from flask import url_for

from crm.template_helpers import format_date, url_for_each


def test_url_for_each_builds_what_url_for_builds(app):
    for root in ("", "/crm"):
        with app.test_request_context("/", base_url=f"http://localhost{root}/"):
            outreach_url = url_for_each("outreach.outreach_detail", "outreach_id")
            edit_url = url_for_each("contacts.person_edit", "person_id")
            for record_id in (1, 42, 2_147_483_647):
                assert outreach_url(record_id) == url_for("outreach.outreach_detail", outreach_id=record_id)
                assert edit_url(record_id) == url_for("contacts.person_edit", person_id=record_id)
            assert outreach_url(7).startswith(f"{root}/outreach/")


def test_dates_and_times_are_formatted_apart():
    assert format_date(date(2017, 10, 11)) == "11 Oct 2017"
    assert format_date(datetime(2017, 10, 11, 9, 5)) == "11 Oct 2017 09:05 UTC"
    assert format_date(None) == ""
