"""How values read to people, on every page and in every export: one date format, times in the
viewer's zone, file sizes. Labels for codes live beside the codes (OUTREACH_STATUSES …)."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

from crm.timeutil import to_local
from crm.values import is_web_link

ISO_DAY = re.compile(r"\b(\d{4})-(\d\d)-(\d\d)\b")
ISO_MOMENT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?Z?$")  # the audit keeps UTC with a Z


@lru_cache(maxsize=4096)
def format_day(value: date) -> str:
    """ "11 Oct 2017". Lists repeat the same few days, so each is formatted once."""
    return value.strftime("%d %b %Y")


def format_month(value: str) -> str:
    """A month as reports key it ("2017-10") as people read it: "Oct 2017"."""
    try:
        return format_day(date.fromisoformat(value + "-01"))[3:]
    except ValueError:
        return value


def format_moment(value: datetime) -> str:
    """A stored (naive UTC) time as the viewer's wall-clock time: "07 Dec 2026 10:15"."""
    local = to_local(value)
    return f"{format_day(local.date())} {local:%H:%M}"


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_moment(value)
    return format_day(value)


def humanise_dates(text: str) -> str:
    """ISO dates inside a stored description ("Ana Gomes on 2017-10-01") in the one human format; a
    whole ISO time in UTC ("2019-09-10T07:00Z", as the audit trail keeps a meeting's start) in the viewer's zone.
    Links keep their text: a date in a URL is part of the address."""
    if ISO_MOMENT.match(text):
        return format_moment(datetime.fromisoformat(text.removesuffix("Z")))
    if is_web_link(text):
        return text
    return ISO_DAY.sub(_day_or_same, text)


def _day_or_same(match: re.Match) -> str:
    try:
        return format_day(date(*map(int, match.groups())))
    except ValueError:  # 2017-13-45 is no date: leave it as written
        return match.group(0)


def format_size(size: int) -> str:
    """Bytes as people read them: "512 bytes", "14 KB", "2.3 MB"; never "0 KB"."""
    if size < 1024:
        return f"{size} byte" + ("" if size == 1 else "s")
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"


# The audit trail's actions are short phrases ("add role", "merged into"); these few are verbs of the code.
_ACTION_WORDS = {
    "create": "Created",
    "update": "Changed",
    "delete": "Deleted",
    "sign-in": "Signed in",
    "sign-out": "Signed out",
    "sign-in-failed": "Sign-in failed",
    "locked-out": "Locked out",
    "password": "Password changed",
    "stop waiting": "Stopped waiting for a reply",
    "resume waiting": "Waiting for a reply again",
}


def action_label(action: str) -> str:
    """An audit entry's action as a heading: "create" → "Created", "add role" → "Add role"."""
    return _ACTION_WORDS.get(action) or action.replace("-", " ").capitalize()
