"""The rows of built_report: read one, keep one, and the two claims of a background rebuild.

Every write here commits in a transaction of its own, beside the caller's: a page that builds a
report only reads, and its session is never committed, yet what it built must stay for the other
workers. Those writes are a single statement each, so two workers racing on one report cannot
deadlock: the upsert lets the later build win, and the conditional UPDATEs let one of them claim.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import date, datetime, timedelta

from sqlalchemy import Row, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import OperationalError

from crm.extensions import db
from crm.reports.models import BuiltReport
from crm.timeutil import utcnow

log = logging.getLogger(__name__)
KEPT_REPORTS = 32  # rows; a page's report is small, a workbook's lists every supporter
# A rebuild asked for this long ago and not done (no worker running, one that died): views build
# the report themselves again rather than show old figures for ever.
GIVE_UP_AFTER = timedelta(minutes=10)


def load(key: str) -> Row | None:
    """The row kept for `key`, read in the caller's transaction."""
    return db.session.execute(select(BuiltReport.__table__).where(BuiltReport.key == key)).first()


def may_write_aside() -> bool:
    """Whether a transaction beside the caller's may write now. SQLite has one writer, and a
    transaction that has written holds the lock until it ends: a write beside it would wait for
    it in the same thread, until SQLite's busy timeout gives up."""
    dbapi_connection = db.session.connection().connection.dbapi_connection
    return not (isinstance(dbapi_connection, sqlite3.Connection) and dbapi_connection.in_transaction)


def keep(key: str, *, data_version: int, day: date | None, report: str, counted_at: datetime, seconds: float) -> None:
    """Keep a report built at `data_version`, replacing the one kept for `key`, and let the
    oldest go beyond KEPT_REPORTS. A build that was asked for in the background is done."""
    values = {
        "key": key,
        "data_version": data_version,
        "day": day,
        "report": report,
        "counted_at": counted_at,
        "build_seconds": seconds,
        "rebuild_requested_at": None,
        "rebuild_started_at": None,
        "rebuild_failed": False,
    }
    table = BuiltReport.__table__
    with db.engine.begin() as connection:
        insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
        statement = insert(table).values(values)
        replaced = {name: statement.excluded[name] for name in values if name != "key"}
        connection.execute(statement.on_conflict_do_update(index_elements=[table.c.key], set_=replaced))
    _trim()


def _trim() -> None:
    newest = select(BuiltReport.key).order_by(BuiltReport.counted_at.desc()).limit(KEPT_REPORTS)
    try:
        with db.engine.begin() as connection:
            connection.execute(delete(BuiltReport).where(BuiltReport.key.not_in(newest)))
    except OperationalError:  # two workers trimming at once; the next report kept trims again
        log.warning("trimming the built reports failed", exc_info=True)


def ask_for_rebuild(key: str) -> bool:
    """Mark `key` as waiting for a background rebuild; False if someone asked already (a view in
    another worker, or the previous view here), so only one job is queued for it."""
    table = BuiltReport.__table__
    with db.engine.begin() as connection:
        asked = connection.execute(
            update(table)
            .where(table.c.key == key, table.c.rebuild_requested_at.is_(None))
            .values(rebuild_requested_at=utcnow(), rebuild_started_at=None, rebuild_failed=False)
        ).rowcount
    return asked == 1


def claim_rebuild(key: str) -> bool:
    """Whether this job builds `key`: the first delivery of the job asked for does, a second one
    (a job delivered twice) or a late one (the report was built meanwhile) does not."""
    table = BuiltReport.__table__
    with db.engine.begin() as connection:
        claimed = connection.execute(
            update(table)
            .where(
                table.c.key == key,
                table.c.rebuild_requested_at.is_not(None),
                table.c.rebuild_started_at.is_(None),
            )
            .values(rebuild_started_at=utcnow())
        ).rowcount
    return claimed == 1


def rebuild_failed(key: str) -> None:
    """The next view builds the report itself, and shows the error if it fails again."""
    table = BuiltReport.__table__
    with db.engine.begin() as connection:
        connection.execute(
            update(table)
            .where(table.c.key == key)
            .values(rebuild_requested_at=None, rebuild_started_at=None, rebuild_failed=True)
        )


def given_up(row: Row) -> bool:
    """A rebuild was asked for long ago and has not finished."""
    return row.rebuild_requested_at is not None and row.rebuild_requested_at < utcnow() - GIVE_UP_AFTER
