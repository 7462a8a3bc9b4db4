"""One clock for the whole app: naive UTC, stored the same on SQLite and PostgreSQL, and shown and typed
in the zone of whoever reads or types it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from flask import current_app, has_app_context, has_request_context
from flask_login import current_user


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def today() -> date:
    """The date where the staff member is (their time zone, else the office's, CRM_TIMEZONE): what is due
    "today" is due on their calendar, not Greenwich's, which in Brussels turns an hour or two early."""
    if not has_app_context():
        return utcnow().date()
    return to_local(utcnow()).date()


REGIONS = ("Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific")


@cache
def zone_names() -> tuple[str, ...]:
    """The IANA zones a staff member may choose ("Europe/Brussels"), sorted: the regions' names, not the
    old aliases ("US/Eastern") that say the same again."""
    return tuple(sorted(name for name in available_timezones() if name.split("/")[0] in REGIONS))


def office_zone() -> ZoneInfo:
    """The app's zone (CRM_TIMEZONE): for accounts that chose none, and where nobody is signed in."""
    return ZoneInfo(current_app.config.get("TIMEZONE") or "UTC")


def local_zone() -> ZoneInfo:
    """The zone the signed-in staff member reads and types times in (their account's setting, else the
    app's); the database keeps UTC."""
    if has_request_context():
        chosen = getattr(current_user, "time_zone", None)  # anonymous visitors have no setting
        if chosen:
            return ZoneInfo(chosen)
    return office_zone()


def to_utc(local: datetime, zone: ZoneInfo | None = None) -> datetime:
    """A wall-clock time in `zone` (default: the viewer's) as naive UTC, the way the database stores it."""
    aware = local if local.tzinfo else local.replace(tzinfo=zone or local_zone())
    return aware.astimezone(UTC).replace(tzinfo=None)


def to_local(stored: datetime, zone: ZoneInfo | None = None) -> datetime:
    """A stored naive-UTC time as a naive wall-clock time in `zone` (default: the viewer's)."""
    return stored.replace(tzinfo=UTC).astimezone(zone or local_zone()).replace(tzinfo=None)
