"""Taking an erased person out of what stays: their own audit entries lose every value, and text
elsewhere (other records' audit entries, an outreach's subject) loses their name and email."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Text, cast, func, or_, select

from crm.audit.models import AuditEntry
from crm.extensions import db

ERASED = "[erased]"
MIN_LENGTH = 3  # shorter "names" (initials) would blank other people's words too
_POINT_MARKS = re.compile(r"\s+\([^()]*\)$")  # "ada@example.org (work) (primary)" -> the address


def needles(names: Iterable[str], emails: Iterable[str]) -> list[str]:
    """The texts that name the person, longest first so "Dr Ada Lovelace" goes before "Ada Lovelace"."""
    found = {" ".join(text.split()) for text in (*names, *emails) if text}
    return sorted((text for text in found if len(text) >= MIN_LENGTH), key=lambda text: (-len(text), text))


def emails_in_history(entries: Iterable[AuditEntry]) -> set[str]:
    """Addresses the person had at some time, from their own entries' contact point snapshots."""
    found = set()
    for entry in entries:
        before_and_after = (entry.changes or {}).get("emails") or []
        for addresses in before_and_after if isinstance(before_and_after, list) else []:
            if isinstance(addresses, list):
                found.update(_strip_marks(item) for item in addresses if isinstance(item, str))
    return found


def _strip_marks(text: str) -> str:
    while True:
        stripped = _POINT_MARKS.sub("", text)
        if stripped == text:
            return text
        text = stripped


def pattern(texts: list[str]) -> re.Pattern | None:
    if not texts:
        return None
    alternatives = "|".join(re.escape(text) for text in texts)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def redact_text(text: str, found: re.Pattern | None) -> str:
    return found.sub(ERASED, text) if found and text else text


def redact_value(value: Any, found: re.Pattern | None) -> Any:
    """`value` with every mention replaced, strings inside lists and dicts included."""
    if isinstance(value, str):
        return redact_text(value, found)
    if isinstance(value, list):
        return [redact_value(item, found) for item in value]
    if isinstance(value, dict):
        return {redact_text(str(key), found): redact_value(item, found) for key, item in value.items()}
    return value


def blank_values(changes: dict[str, Any]) -> dict[str, Any]:
    """An entry about the erased person: which fields changed stays, what they held goes."""
    return {field: _blank(values) for field, values in (changes or {}).items()}


def _blank(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, list):
        return [_blank(item) for item in value]
    return ERASED


def redact_own_entries(entity_type: str, entity_id: int) -> int:
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id == entity_id)
    ).all()
    for entry in entries:
        entry.changes = blank_values(entry.changes)  # a new dict: the JSON column sees the change
    return len(entries)


def redact_mentions(texts: list[str], *, skip: tuple[str, int]) -> int:
    """Every other entry that quotes one of `texts`, with the quotes replaced; how many changed.

    The database narrows the entries down by their stored text (a name with accents is stored
    \\u-escaped, so both spellings are looked for), and each candidate is then redacted here, word by word."""
    found = pattern(texts)
    if found is None:
        return 0
    stored = cast(AuditEntry.changes, Text)
    spellings = {spelling.lower() for text in texts for spelling in (text, json.dumps(text)[1:-1])}
    candidates = db.session.scalars(
        select(AuditEntry).where(
            or_(*(func.lower(stored).contains(spelling, autoescape=True) for spelling in sorted(spellings))),
            ~((AuditEntry.entity_type == skip[0]) & (AuditEntry.entity_id == skip[1])),
        )
    )
    changed = 0
    for entry in candidates:
        redacted = redact_value(entry.changes, found)
        if redacted != entry.changes:
            entry.changes = redacted
            changed += 1
    return changed
