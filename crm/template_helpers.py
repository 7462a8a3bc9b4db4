"""Filters and globals for templates: formatting only, no queries."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from flask import Flask, request

from crm.campaigns.models import ASK_STATUSES, CAMPAIGN_STATUSES
from crm.contacts.models import LAWFUL_BASES
from crm.display import action_label, format_date, format_day, format_moment, format_month, format_size, humanise_dates
from crm.outreach.models import CHANNELS, OUTREACH_STATUSES, PARTICIPANT_ROLES, REPLY_STATES
from crm.timeutil import local_zone, to_local
from crm.values import country_name, language_names

FIELD_LABELS = {
    "given_name": "Given name",
    "family_name": "Family name",
    "native_name": "Name in native script",
    "short_name": "Short name",
    "lawful_basis": "Lawful basis",
    "archived": "Archived",
    "reply_state": "Reply",
    "time_zone": "Time zone",
}

# The codes a change in the history may carry, by field, read through the label table beside each code.
# A value that is no code (older entries kept the label) reads as it is.
VALUE_LABELS = {
    "status": OUTREACH_STATUSES | CAMPAIGN_STATUSES | ASK_STATUSES,
    "reply_state": REPLY_STATES,
    "channel": CHANNELS,
    "role": PARTICIPANT_ROLES,
    "lawful_basis": LAWFUL_BASES,
}


def format_meeting_time(starts_at: datetime | None, ends_at: datetime | None = None) -> str:
    """Stored UTC times as wall-clock times in the viewer's zone: "10 Sep 2019 14:00–15:30 (Europe/Brussels)"."""
    if starts_at is None:
        return ""
    start = to_local(starts_at)
    text = format_moment(starts_at)
    if ends_at is not None:
        end = to_local(ends_at)
        text += "–" + (end.strftime("%H:%M") if end.date() == start.date() else format_moment(ends_at))
    return f"{text} ({local_zone().key})"


def field_label(name: str) -> str:
    # Only the first letter raised: a key may name someone ("reply of Tunne Kelam"), whose capitals stay.
    text = name.replace("_", " ")
    return FIELD_LABELS.get(name, text[:1].upper() + text[1:])


def format_value(value, field: str = "") -> str:
    """A value of a change as people read it: labels for codes, dates in the one format, times in the viewer's zone."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(format_value(item, field) for item in value)
    if isinstance(value, str):
        labels = VALUE_LABELS.get(field)
        if labels and value in labels:
            return labels[value]
        return humanise_dates(value)
    return str(value)


def url_with(**changes) -> str:
    """The current list URL with some query arguments changed (pagination, sorting)."""
    args = request.args.to_dict()
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    return request.path + ("?" + urlencode(args) if args else "")


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        country_name=country_name,
        language_names=language_names,
        format_date=format_date,
        format_day=format_day,
        format_datetime=format_date,  # the same rule; the name says a time is expected
        format_size=format_size,
        action_label=action_label,
        format_month=format_month,
        format_meeting_time=format_meeting_time,
        local_time=lambda value: f"{to_local(value):%H:%M}" if value else "",
        format_value=format_value,
        field_label=field_label,
        lawful_basis=lambda code: LAWFUL_BASES.get(code, code),
    )
    app.jinja_env.globals.update(url_with=url_with, viewer_time_zone=lambda: local_zone().key)
