"""Read a meeting invitation (.ics, as Outlook, Google or Apple send it) into what a meeting entry needs.

The file comes from outside: it is bounded (size, events, attendees), parsed by `icalendar`, and every
way it can be wrong ends in one InvalidInput line, never a half-read meeting. A recurrence is never
expanded: the first occurrence is taken and the reader is told the meeting repeats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from icalendar import Calendar

from crm.errors import InvalidInput
from crm.timeutil import to_utc

MAX_INVITE_BYTES = 1024 * 1024
MAX_EVENTS = 50  # an invitation holds one meeting (and perhaps its exceptions); an export holds thousands
MAX_ATTENDEES = 500  # the outreach form's rows
_EVENT_START = re.compile(rb"^BEGIN:VEVENT\s*$", re.IGNORECASE | re.MULTILINE)
FIELD = "invite"


@dataclass(frozen=True)
class Attendee:
    email: str  # lower-case
    name: str = ""
    organiser: bool = False


@dataclass
class Invite:
    subject: str
    day: date  # the day it is held
    starts_at: datetime | None = None  # naive UTC; None: an all-day event
    ends_at: datetime | None = None
    location: str = ""
    description: str = ""
    attendees: list[Attendee] = field(default_factory=list)
    repeats: str = ""  # the recurrence rule as the file gave it, when the meeting repeats
    notes: list[str] = field(default_factory=list)  # what the editor should know before saving


def _refuse(message: str) -> InvalidInput:
    return InvalidInput(message, FIELD)


def read_invite(data: bytes) -> Invite:
    if len(data) > MAX_INVITE_BYTES:
        raise _refuse(f"That file is larger than {MAX_INVITE_BYTES // 1024} KB; an invitation is a few KB.")
    if not data.strip():
        raise _refuse("That file is empty.")
    # Counted before parsing: a calendar export of thousands of events is refused without reading it.
    events = len(_EVENT_START.findall(data))
    if events > MAX_EVENTS:
        raise _refuse(f"That file holds {events} events; drop the invitation of one meeting, not a whole calendar.")
    try:
        calendar = Calendar.from_ical(data)
        invite = _from_calendar(calendar)
    except InvalidInput:
        raise
    except Exception:  # a third-party parser fed untrusted bytes: whatever it raises, the answer is one line
        raise _refuse("That file is not an iCalendar invitation (.ics) this app can read.") from None
    return invite


def _from_calendar(calendar: Calendar) -> Invite:
    if calendar.name != "VCALENDAR":
        raise _refuse("That file is not an iCalendar invitation (.ics) this app can read.")
    if str(calendar.get("method", "")).upper() == "CANCEL":
        raise _refuse("That is a cancellation, not an invitation: there is no meeting to log.")
    events = calendar.walk("VEVENT")
    if not events:
        raise _refuse("That calendar file holds no event.")
    # The invitation itself, not an exception to one of its occurrences (RECURRENCE-ID), and one with
    # people on it if there is such a one.
    masters = [event for event in events if event.get("recurrence-id") is None] or events
    event = next((e for e in masters if e.get("attendee") or e.get("organizer")), masters[0])
    return _from_event(event)


def _from_event(event) -> Invite:
    if event.get("dtstart") is None:
        raise _refuse("The invitation has no start date.")
    start = event.decoded("dtstart")
    if not isinstance(start, date):  # icalendar keeps a value it cannot read as text (vBroken)
        raise _refuse("The invitation's start date cannot be read.")
    end = _end(event, start)
    subject = " ".join(str(event.get("summary", "")).split())[:300] or "Meeting"
    invite = Invite(
        subject=subject,
        day=start if not isinstance(start, datetime) else start.date(),
        location=" ".join(str(event.get("location", "")).split())[:300],
        description=str(event.get("description", "")).strip()[:20000],
    )
    if isinstance(start, datetime):
        # A time with no zone ("floating") is where staff are; to_utc reads a zone the file gave.
        invite.starts_at = to_utc(start)
        invite.ends_at = to_utc(end) if isinstance(end, datetime) and end > start else None
        invite.day = start.date()
    if event.get("rrule") is not None:
        invite.repeats = event["rrule"].to_ical().decode(errors="replace")
        invite.notes.append(
            "This meeting repeats; what is logged here is its first occurrence. Log a later one on its own."
        )
    invite.attendees = _attendees(event)
    if len(invite.attendees) > MAX_ATTENDEES:
        invite.notes.append(f"The invitation lists {len(invite.attendees)} people; the first {MAX_ATTENDEES} are read.")
        invite.attendees = invite.attendees[:MAX_ATTENDEES]
    return invite


def _end(event, start):
    if event.get("dtend") is not None:
        return event.decoded("dtend")
    if event.get("duration") is not None:
        duration = event.decoded("duration")
        return start + duration if isinstance(duration, timedelta) else None
    return None


def _attendees(event) -> list[Attendee]:
    found: dict[str, Attendee] = {}
    organiser = event.get("organizer")
    attendees = event.get("attendee") or []
    if not isinstance(attendees, list):
        attendees = [attendees]
    for address, is_organiser in [(organiser, True)] * (organiser is not None) + [(a, False) for a in attendees]:
        email = _email(str(address))
        if not email or email in found:
            continue
        name = " ".join(str(getattr(address, "params", {}).get("CN", "")).split()).strip('"')[:200]
        found[email] = Attendee(email, "" if name.casefold() == email else name, is_organiser)
    return list(found.values())


def _email(value: str) -> str:
    address = value.strip()
    if address.lower().startswith("mailto:"):
        address = address[7:]
    address = address.strip().lower()
    return address if "@" in address and len(address) <= 254 and " " not in address else ""
