"""The import's bulk writes: batched INSERTs (crm.sql.bulk_insert), and the reports told of them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table

from crm.extensions import db
from crm.reports.cache import note_write
from crm.sql import bulk_insert


def insert_many(table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert `rows` (dicts with the same keys) in the session's transaction."""
    if not rows:
        return
    bulk_insert.insert_many(table, rows)
    # On PostgreSQL the rows went by COPY, which the engine's hooks never see: the report data
    # version must still move on at this transaction's commit.
    note_write(db.session.connection(), table.name)
