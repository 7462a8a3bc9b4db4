"""One clock for the whole app: naive UTC, stored the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def today() -> date:
    return utcnow().date()


def local_zone() -> ZoneInfo:
    """The zone staff enter and read meeting times in (CRM_TIMEZONE); the database keeps UTC."""
    return ZoneInfo(current_app.config.get("TIMEZONE") or "UTC")


def to_utc(local: datetime, zone: ZoneInfo | None = None) -> datetime:
    """A wall-clock time in `zone` (default: the app's) as naive UTC, the way the database stores it."""
    aware = local if local.tzinfo else local.replace(tzinfo=zone or local_zone())
    return aware.astimezone(UTC).replace(tzinfo=None)


def to_local(stored: datetime, zone: ZoneInfo | None = None) -> datetime:
    """A stored naive-UTC time as a naive wall-clock time in `zone` (default: the app's)."""
    return stored.replace(tzinfo=UTC).astimezone(zone or local_zone()).replace(tzinfo=None)
