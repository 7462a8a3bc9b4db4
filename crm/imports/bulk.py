"""The import's bulk writes: batched INSERTs (crm.sql.bulk_insert), and the reports told of them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table

from crm.data_version import report_data_changed
from crm.sql import bulk_insert


def insert_many(table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert `rows` (dicts with the same keys) in the session's transaction."""
    if not rows:
        return
    bulk_insert.insert_many(table, rows)
    report_data_changed()  # people, their roles, organisations: what reports count
