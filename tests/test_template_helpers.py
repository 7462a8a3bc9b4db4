"""Template helpers format values as the pages show them."""

from datetime import date, datetime

from crm.template_helpers import field_label, format_date, format_value


def test_dates_and_times_are_formatted_apart(app):
    assert format_date(date(2017, 10, 11)) == "11 Oct 2017"
    # Outside a request nobody is reading: the app's zone (Europe/Brussels, summer time in October).
    assert format_date(datetime(2017, 10, 11, 9, 5)) == "11 Oct 2017 11:05"
    assert format_date(None) == ""


def test_changes_read_as_words_not_codes(app):
    assert format_value("awaiting", "status") == "Awaiting reply"
    assert format_value("replied", "reply_state") == "Replied"
    assert format_value("email", "channel") == "Email"
    assert format_value("legitimate_interests", "lawful_basis") == "Legitimate interests"
    assert format_value("Legitimate interests", "lawful_basis") == "Legitimate interests"  # older entries: the label
    assert format_value("2017-10-01", "sent_on") == "01 Oct 2017"
    assert format_value("Ana Gomes on 2017-10-01", "response") == "Ana Gomes on 01 Oct 2017"
    assert format_value("2026-01-20T09:00Z", "starts_at") == "20 Jan 2026 10:00"
    assert format_value("https://example.org/2017-10-01/report", "url") == "https://example.org/2017-10-01/report"
    assert format_value(["to", "cc"], "role") == "To / recipient, Cc"
    assert format_value(False) == "no" and format_value(None) == "—"


def test_a_field_named_for_someone_keeps_their_capitals(app):
    assert field_label("reply of Tunne Kelam, snoozed until") == "Reply of Tunne Kelam, snoozed until"
    assert field_label("follow_up_on") == "Follow up on"
    assert field_label("reply_state") == "Reply"
