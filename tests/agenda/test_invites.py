"""Reading invitations: time, place, subject and people; and every way a file can be wrong, in one line."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from crm.agenda.invite_people import match_attendees, split_name
from crm.agenda.invites import MAX_INVITE_BYTES, read_invite
from crm.errors import InvalidInput
from tests.agenda.invites import OUTLOOK_INVITE, built_invite, many_events, repeating_forever
from tests.factories import make_person


def test_an_outlook_invitation_with_a_windows_time_zone():
    invite = read_invite(OUTLOOK_INVITE)
    assert invite.subject == "Parole hearing: briefing"
    assert invite.starts_at == datetime(2019, 9, 10, 12, 0)  # 14:00 in Brussels, summer time
    assert invite.ends_at == datetime(2019, 9, 10, 13, 30)
    assert invite.day == date(2019, 9, 10)
    assert invite.location == "Council of Europe, Palais, Room 8"
    assert invite.description.startswith("Dear colleagues,\nlet us meet")
    assert [(a.email, a.name, a.organiser) for a in invite.attendees] == [
        ("editor@example.org", "Editor", True),
        ("tunne.kelam@example.eu", "Kelam, Tunne", False),
        ("a.tleuzhan@example.kz", "Aigerim Tleuzhan", False),
        ("press@example.org", "", False),  # a CN that is only the address says nothing more
    ]
    assert invite.notes == [] and invite.repeats == ""


def test_an_invitation_built_with_icalendar():
    start = datetime(2026, 2, 3, 9, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    invite = read_invite(built_invite(start, people=[("Tunne Kelam", "TUNNE.KELAM@example.eu")]))
    assert invite.starts_at == datetime(2026, 2, 3, 8, 30)
    assert invite.ends_at == datetime(2026, 2, 3, 10, 0)
    assert [a.email for a in invite.attendees] == ["anna@example.net", "tunne.kelam@example.eu"]


def test_attendees_are_matched_by_email_whatever_the_case(app, staff):
    kelam = make_person("Kelam", "Tunne", emails=("tunne.kelam@example.eu",))
    matched = match_attendees(read_invite(OUTLOOK_INVITE).attendees)
    assert [(person.id, attendee.email) for person, attendee in matched.people] == [
        (kelam.id, "tunne.kelam@example.eu")
    ]
    assert [a.email for a in matched.unknown] == ["a.tleuzhan@example.kz", "press@example.org"]
    assert [a.email for a in matched.staff] == ["editor@example.org"]  # a colleague, not a contact


def test_a_rule_that_never_ends_is_never_expanded():
    invite = read_invite(repeating_forever())
    assert invite.starts_at == datetime(2019, 1, 7, 9, 0)
    assert "FREQ=WEEKLY" in invite.repeats
    assert invite.notes == [
        "This meeting repeats; what is logged here is its first occurrence. Log a later one on its own."
    ]


def test_an_all_day_event_has_a_day_and_no_time():
    data = OUTLOOK_INVITE.replace(
        b"DTSTART;TZID=W. Europe Standard Time:20190910T140000", b"DTSTART;VALUE=DATE:20190910"
    ).replace(b"DTEND;TZID=W. Europe Standard Time:20190910T153000", b"DTEND;VALUE=DATE:20190911")
    invite = read_invite(data)
    assert invite.day == date(2019, 9, 10) and invite.starts_at is None


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"%PDF-1.4 not a calendar at all", "not an iCalendar invitation"),
        (b"\x00\xff\xfe\x89PNG binary", "not an iCalendar invitation"),
        (b"", "empty"),
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "holds no event"),
        (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", "no start date"),
        (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:2019-bad\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", "cannot be read"),
        (OUTLOOK_INVITE.replace(b"METHOD:REQUEST", b"METHOD:CANCEL"), "cancellation"),
        (many_events(10_000), "holds 10000 events"),
        (
            b"BEGIN:VCALENDAR\r\n" + b"X-PAD:" + b"a" * MAX_INVITE_BYTES + b"\r\nEND:VCALENDAR\r\n",
            "larger than 1024 KB",
        ),
    ],
)
def test_bad_files_are_refused_in_one_line(data, says):
    with pytest.raises(InvalidInput) as refused:
        read_invite(data)
    [message] = refused.value.errors["invite"]
    assert says in message and "\n" not in message


def test_names_from_display_names():
    assert split_name("Kelam, Tunne", "t@x") == ("Kelam", "Tunne")
    assert split_name("Aigerim Tleuzhan", "a@x") == ("Tleuzhan", "Aigerim")
    assert split_name("", "press@example.org") == ("press", "")
