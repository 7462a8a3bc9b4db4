"""Invitations as calendar apps send them: one built with icalendar, one written as Outlook writes it."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText


def built_invite(start: datetime, *, people: list[tuple[str, str]], organiser: str = "anna@example.net") -> bytes:
    """A REQUEST as Google or Apple send it, made with icalendar; `start` carries its zone."""
    calendar = Calendar()
    calendar.add("prodid", "-//Test//Invites//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", "abc-123@example.net")
    event.add("dtstamp", datetime(2026, 1, 1, tzinfo=ZoneInfo("UTC")))
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(hours=1, minutes=30))
    event.add("summary", "Dzhakishev: the pardon request")
    event.add("location", "European Parliament, ASP 5G")
    event.add("description", "Agenda: the pardon commission's next meeting.")
    host = vCalAddress(f"mailto:{organiser}")
    host.params["cn"] = vText("Anna Organiser")
    event["organizer"] = host
    for name, email in people:
        attendee = vCalAddress(f"mailto:{email}")
        if name:
            attendee.params["cn"] = vText(name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    return calendar.to_ical()


# As Outlook writes a meeting request: a Windows zone name with its VTIMEZONE, quoted CNs with commas,
# addresses in mixed case. 10 Sep 2019 14:00 in Brussels is 12:00 UTC (summer time).
OUTLOOK_INVITE = (
    "BEGIN:VCALENDAR\r\n"
    "METHOD:REQUEST\r\n"
    "PRODID:Microsoft Exchange Server 2010\r\n"
    "VERSION:2.0\r\n"
    "BEGIN:VTIMEZONE\r\n"
    "TZID:W. Europe Standard Time\r\n"
    "BEGIN:STANDARD\r\n"
    "DTSTART:16010101T030000\r\n"
    "TZOFFSETFROM:+0200\r\n"
    "TZOFFSETTO:+0100\r\n"
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\r\n"
    "END:STANDARD\r\n"
    "BEGIN:DAYLIGHT\r\n"
    "DTSTART:16010101T020000\r\n"
    "TZOFFSETFROM:+0100\r\n"
    "TZOFFSETTO:+0200\r\n"
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\r\n"
    "END:DAYLIGHT\r\n"
    "END:VTIMEZONE\r\n"
    "BEGIN:VEVENT\r\n"
    "ORGANIZER;CN=Editor:mailto:Editor@Example.org\r\n"
    'ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN="Kelam, Tunne":mailto:Tunne.Kelam@Example.EU\r\n'
    "ATTENDEE;ROLE=OPT-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Aigerim Tleuzhan:mailto:a.tleuzhan@example.kz\r\n"
    "ATTENDEE;ROLE=OPT-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=press@example.org:mailto:press@example.org\r\n"
    "DESCRIPTION;LANGUAGE=en-US:Dear colleagues\\,\\nlet us meet before the parole hearing.\\n\r\n"
    "UID:040000008200E00074C5B7101A82E00800000000\r\n"
    "SUMMARY;LANGUAGE=en-US:Parole hearing: briefing\r\n"
    "DTSTART;TZID=W. Europe Standard Time:20190910T140000\r\n"
    "DTEND;TZID=W. Europe Standard Time:20190910T153000\r\n"
    "CLASS:PUBLIC\r\n"
    "PRIORITY:5\r\n"
    "DTSTAMP:20190901T101500Z\r\n"
    "TRANSP:OPAQUE\r\n"
    "STATUS:CONFIRMED\r\n"
    "SEQUENCE:0\r\n"
    "LOCATION;LANGUAGE=en-US:Council of Europe\\, Palais\\, Room 8\r\n"
    "X-MICROSOFT-CDO-BUSYSTATUS:TENTATIVE\r\n"
    "BEGIN:VALARM\r\n"
    "DESCRIPTION:REMINDER\r\n"
    "TRIGGER;RELATED=START:-PT15M\r\n"
    "ACTION:DISPLAY\r\n"
    "END:VALARM\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n"
).encode()


def many_events(count: int) -> bytes:
    body = "".join(
        f"BEGIN:VEVENT\r\nUID:e{n}@x\r\nDTSTART:20190101T100000Z\r\nSUMMARY:e{n}\r\nEND:VEVENT\r\n"
        for n in range(count)
    )
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n{body}END:VCALENDAR\r\n".encode()


def repeating_forever() -> bytes:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:weekly@x\r\n"
        "DTSTAMP:20190101T000000Z\r\nDTSTART:20190107T090000Z\r\nDTEND:20190107T093000Z\r\n"
        "RRULE:FREQ=WEEKLY;BYDAY=MO\r\nSUMMARY:Weekly campaign call\r\n"
        "ORGANIZER:mailto:anna@example.net\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()
