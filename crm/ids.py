"""Ids and page numbers from query strings and forms: one the databases' integer cannot hold is no value.

`request.args.get("page", 1, type=db_int)` falls back to its default for junk, as for "abc";
without the bound, `?category_id=99999999999999999999999` reached the database and failed there.
"""

from __future__ import annotations

DB_INT_MAX = 2**31 - 1  # PostgreSQL's integer; SQLite's is wider, the same bound keeps both alike


def db_int(value: str) -> int:
    number = int(value)
    if not 0 <= number <= DB_INT_MAX:
        raise ValueError(f"{value} is out of range")
    return number


def optional_int(value: str | None) -> int | None:
    """A query argument's whole number, or None for anything else."""
    if not value or not value.strip().isdigit():
        return None
    number = int(value)
    return number if number <= DB_INT_MAX else None


def coerce_optional_id(value) -> int | None:
    """A choice field's coerce: empty is None, a number out of range a field error (ValueError)."""
    if value in (None, "", "None"):
        return None
    return db_int(str(value))
