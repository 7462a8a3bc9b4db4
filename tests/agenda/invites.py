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
    b"BEGIN:VCALENDAR\r\n"
    b"METHOD:REQUEST\r\n"
    b"PRODID:Microsoft Exchange Server 2010\r\n"
    b"VERSION:2.0\r\n"
    b"BEGIN:VTIMEZONE\r\n"
    b"TZID:W. Europe Standard Time\r\n"
    b"BEGIN:STANDARD\r\n"
    b"DTSTART:16010101T030000\r\n"
    b"TZOFFSETFROM:+0200\r\n"
    b"TZOFFSETTO:+0100\r\n"
    b"RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\r\n"
    b"END:STANDARD\r\n"
    b"BEGIN:DAYLIGHT\r\n"
    b"DTSTART:16010101T020000\r\n"
    b"TZOFFSETFROM:+0100\r\n"
    b"TZOFFSETTO:+0200\r\n"
    b"RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\r\n"
    b"END:DAYLIGHT\r\n"
    b"END:VTIMEZONE\r\n"
    b"BEGIN:VEVENT\r\n"
    b"ORGANIZER;CN=Editor:mailto:Editor@Example.org\r\n"
    b'ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN="Kelam, Tunne":mailto:Tunne.Kelam@Example.EU\r\n'
    b"ATTENDEE;ROLE=OPT-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Aigerim Tleuzhan:mailto:a.tleuzhan@example.kz\r\n"
    b"ATTENDEE;ROLE=OPT-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=press@example.org:mailto:press@example.org\r\n"
    b"DESCRIPTION;LANGUAGE=en-US:Dear colleagues\\,\\nlet us meet before the parole hearing.\\n\r\n"
    b"UID:040000008200E00074C5B7101A82E00800000000\r\n"
    b"SUMMARY;LANGUAGE=en-US:Parole hearing: briefing\r\n"
    b"DTSTART;TZID=W. Europe Standard Time:20190910T140000\r\n"
    b"DTEND;TZID=W. Europe Standard Time:20190910T153000\r\n"
    b"CLASS:PUBLIC\r\n"
    b"PRIORITY:5\r\n"
    b"DTSTAMP:20190901T101500Z\r\n"
    b"TRANSP:OPAQUE\r\n"
    b"STATUS:CONFIRMED\r\n"
    b"SEQUENCE:0\r\n"
    b"LOCATION;LANGUAGE=en-US:Council of Europe\\, Palais\\, Room 8\r\n"
    b"X-MICROSOFT-CDO-BUSYSTATUS:TENTATIVE\r\n"
    b"BEGIN:VALARM\r\n"
    b"DESCRIPTION:REMINDER\r\n"
    b"TRIGGER;RELATED=START:-PT15M\r\n"
    b"ACTION:DISPLAY\r\n"
    b"END:VALARM\r\n"
    b"END:VEVENT\r\n"
    b"END:VCALENDAR\r\n"
)


def many_events(count: int) -> bytes:
    body = "".join(
        f"BEGIN:VEVENT\r\nUID:e{n}@x\r\nDTSTART:20190101T100000Z\r\nSUMMARY:e{n}\r\nEND:VEVENT\r\n"
        for n in range(count)
    )
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n{body}END:VCALENDAR\r\n".encode()


def repeating_forever() -> bytes:
    return (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:weekly@x\r\n"
        b"DTSTAMP:20190101T000000Z\r\nDTSTART:20190107T090000Z\r\nDTEND:20190107T093000Z\r\n"
        b"RRULE:FREQ=WEEKLY;BYDAY=MO\r\nSUMMARY:Weekly campaign call\r\n"
        b"ORGANIZER:mailto:anna@example.net\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
