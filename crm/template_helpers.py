"""Filters and globals for templates: formatting only, no queries."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from urllib.parse import urlencode

from flask import Flask, request

from crm.contacts.models import LAWFUL_BASES
from crm.timeutil import local_zone, to_local
from crm.values import country_name, language_names

FIELD_LABELS = {
    "given_name": "Given name",
    "family_name": "Family name",
    "native_name": "Name in native script",
    "short_name": "Short name",
    "lawful_basis": "Lawful basis",
    "archived": "Archived",
}


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d %b %Y %H:%M UTC")
    return _format_day(value)


@lru_cache(maxsize=4096)
def _format_day(value: date) -> str:
    # Lists repeat the same few days, so each is formatted once.
    return value.strftime("%d %b %Y")


def format_meeting_time(starts_at: datetime | None, ends_at: datetime | None = None) -> str:
    """Stored UTC times as wall-clock times in the app's zone: "10 Sep 2019 14:00–15:30 (Europe/Brussels)"."""
    if starts_at is None:
        return ""
    start = to_local(starts_at)
    text = start.strftime("%d %b %Y %H:%M")
    if ends_at is not None:
        end = to_local(ends_at)
        text += "–" + (end.strftime("%H:%M") if end.date() == start.date() else end.strftime("%d %b %Y %H:%M"))
    return f"{text} ({local_zone().key})"


def format_value(value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
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
        format_meeting_time=format_meeting_time,
        local_time=lambda value: to_local(value).strftime("%H:%M") if value else "",
        format_value=format_value,
        field_label=lambda name: FIELD_LABELS.get(name, name.replace("_", " ").capitalize()),
        lawful_basis=lambda code: LAWFUL_BASES.get(code, code),
    )
    app.jinja_env.globals.update(url_with=url_with)
