"""Events as an iCalendar feed (RFC 5545) that Outlook, Google and Apple calendars subscribe to.

Only what the event needs goes out: the campaign, the milestone or the outreach subject, a meeting's
place and a link back to the CRM page. No contact's name, email, phone or address: the feed travels
to a calendar provider, outside the CRM's care.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from crm.agenda.events import AgendaEvent

PRODUCT_ID = "-//Advocacy CRM//Calendar feed//EN"
MEETING_WITHOUT_END = timedelta(hours=1)


def build_feed(
    events: Iterable[AgendaEvent],
    *,
    name: str,
    domain: str,
    link: Callable[[AgendaEvent], str],
    now: datetime,
) -> bytes:
    """The feed as bytes. `domain` ends each UID (milestone-12@crm.example.org), so an event keeps its
    identity from one fetch to the next; `link` gives the CRM page of an event; `now` (UTC) is DTSTAMP."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    # A hint to subscribers; Outlook and Apple read these, Google fetches on its own schedule.
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    stamp = now.replace(tzinfo=UTC)
    for item in events:
        calendar.add_component(_event(item, domain, link(item), stamp))
    return calendar.to_ical()


def _event(item: AgendaEvent, domain: str, url: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", f"{item.uid}@{domain}")
    event.add("dtstamp", stamp)
    event.add("summary", item.title)
    lines = [f"{item.kind_label} · Campaign: {item.campaign}" if item.campaign else item.kind_label, url]
    event.add("description", "\n".join(lines))
    event.add("url", url)
    if item.starts_at is not None:
        event.add("dtstart", item.starts_at.replace(tzinfo=UTC))
        end = item.ends_at if item.ends_at and item.ends_at > item.starts_at else item.starts_at + MEETING_WITHOUT_END
        event.add("dtend", end.replace(tzinfo=UTC))
        if item.location:
            event.add("location", item.location)
    else:
        # An all-day event: a DATE, and DTEND the day after (RFC 5545 3.6.1), shown as free time.
        event.add("dtstart", item.day)
        event.add("dtend", item.day + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    return event
