"""Values as people read them: file sizes, dates inside descriptions."""

from crm.display import action_label, format_size, humanise_dates


def test_file_sizes_are_never_zero_kb():
    assert format_size(0) == "0 bytes"
    assert format_size(1) == "1 byte"
    assert format_size(300) == "300 bytes"
    assert format_size(1024) == "1 KB"
    assert format_size(14 * 1024 + 300) == "14 KB"
    assert format_size(int(2.3 * 1024 * 1024)) == "2.3 MB"


def test_iso_dates_inside_a_description_read_as_the_one_date_format():
    assert humanise_dates("2019-09-10 Parole appeal hearing") == "10 Sep 2019 Parole appeal hearing"
    assert humanise_dates("Member (2014-07-01 – 2019-07-01)") == "Member (01 Jul 2014 – 01 Jul 2019)"
    assert humanise_dates("E-2017-007094") == "E-2017-007094"  # a reference, not a date
    assert humanise_dates("2017-13-45") == "2017-13-45"  # no such day: as written


def test_audit_actions_read_as_words():
    assert [action_label(a) for a in ("create", "update", "sign-in-failed", "add role", "merged into")] == [
        "Created",
        "Changed",
        "Sign-in failed",
        "Add role",
        "Merged into",
    ]
