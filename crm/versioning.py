"""Saving an edit made on one version of a record: a newer version is a conflict, whenever it arrives.

The version check before saving catches an edit that lost the race by seconds. Two saves at the
same moment both pass it; the database then takes one and finds the other's `UPDATE … WHERE
version = …` matching nothing (SQLAlchemy's StaleDataError). Both are the same conflict for the
person editing, who gets the conflict page with their edit kept, never an error.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm.exc import StaleDataError

from crm.errors import EditConflict
from crm.extensions import db


@contextmanager
def editing(record, expected_version: int) -> Iterator[None]:
    """Run an edit of `record` opened at `expected_version`, flushed before it ends."""
    if record.version != expected_version:
        raise EditConflict(record, expected_version)
    try:
        yield
        db.session.flush()
    except StaleDataError:
        raise EditConflict(record, expected_version, at_the_same_moment=True) from None
