"""Finished campaign reports kept in memory until the data they were built from changes.

Building the report of a big campaign reads every recipient once (about a second on SQLite for
200 000 of them, a third of that on PostgreSQL), and people open the same report again and again
between changes. So each app keeps the last few reports it built, with the data version they were
built at, and serves one again only while the version has not moved.

The version is one row (`ReportDataVersion`). Any transaction that writes to a table a report
reads moves it on by one, in the same transaction, just before its COMMIT: a view after the
commit sees both the new data and the new version, so it builds the report afresh. This is done
at the engine, below the ORM, so that every write through SQLAlchemy counts, whoever makes it:
the services, bulk INSERTs of an import, a merge, a script on `db.engine.begin()`. Writes that
bypass SQLAlchemy (psql, a raw DBAPI connection) must call `data_changed` or restart the app.
Moving the version at COMMIT rather than at the first write holds its row lock for the commit
only, so a long import does not make other writers wait.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app
from sqlalchemy import event, inspect, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import Pool

from crm.extensions import db
from crm.reports.models import ReportDataVersion, first_value

T = TypeVar("T")

# Every table crm.reports.service reads for a campaign report (tests/reports/test_cache.py checks it).
READ_TABLES = frozenset(
    {
        "ask",
        "campaign",
        "category",
        "organisation",
        "organisation_type",
        "outreach",
        "outreach_kind",
        "participant",
        "person",
        "response",
        "response_outcome",
        "role",
    }
)
CACHED_REPORTS = 8  # per app; a page's report is small, a workbook's lists every supporter
_WRITTEN = "crm.reports.written"  # connection info: this transaction wrote to READ_TABLES
_DML = re.compile(
    r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO|MERGE\s+INTO)\s+"?(\w+)', re.I
)


def writes_report_data(statement: str) -> bool:
    """Whether an SQL statement may change what a report reads; when unsure (a CTE that writes, a
    TRUNCATE of several tables) it says yes."""
    match = _DML.match(statement)
    if match:
        return match.group(1).lower() in READ_TABLES
    head = statement.lstrip()[:8].upper()
    if head.startswith("TRUNCATE"):
        return True
    return head.startswith("WITH") and re.search(r"\b(INSERT|UPDATE|DELETE)\b", statement, re.I) is not None


@event.listens_for(Engine, "after_cursor_execute")
def _note_write(conn: Connection, _cursor, statement: str, _parameters, context, _executemany) -> None:
    compiled = getattr(context, "compiled", None)
    if not getattr(compiled, "isplaintext", True) and not (context.isinsert or context.isupdate or context.isdelete):
        return  # a compiled SELECT: the common case, decided without reading the SQL
    if writes_report_data(statement):
        conn.info[_WRITTEN] = True


@event.listens_for(Engine, "commit")
def _move_on(conn: Connection) -> None:
    """Runs just before the DBAPI commit, in the transaction being committed."""
    if conn.info.pop(_WRITTEN, False) and _has_version(conn.engine, conn):
        cursor = conn.connection.cursor()
        try:
            cursor.execute(_bump())
        finally:
            cursor.close()


@event.listens_for(Engine, "rollback")
def _forget(conn: Connection) -> None:
    conn.info.pop(_WRITTEN, None)


@event.listens_for(Pool, "reset")
def _forget_on_return(_dbapi_connection, record, _reset_state) -> None:
    record.info.pop(_WRITTEN, None)  # the pool rolled back a connection nobody committed


def data_changed(connection: Connection) -> None:
    """Move the version on in `connection`'s transaction, for a write the engine did not see."""
    connection.execute(text(_bump()))


def _bump() -> str:
    """The statement that moves the version on; it creates the row if it is missing (a test emptied
    the table, a database created before any write), the same in SQLite and PostgreSQL."""
    table = ReportDataVersion.__tablename__
    return (
        f"INSERT INTO {table} (id, value) VALUES (1, {first_value()}) "
        f"ON CONFLICT (id) DO UPDATE SET value = {table}.value + 1"
    )


_has_table: weakref.WeakSet[Engine] = weakref.WeakSet()


def _has_version(engine: Engine, connection: Connection) -> bool:
    """Whether the database has the version table. Before migration 0007 it has not: then nothing
    is cached and commits go on as before; asked again each time until the table is there."""
    if engine not in _has_table and inspect(connection).has_table(ReportDataVersion.__tablename__):
        _has_table.add(engine)
    return engine in _has_table


class ReportCache:
    """The last few reports an app built, each with the data version it was built at."""

    def __init__(self, size: int = CACHED_REPORTS) -> None:
        self.size = size
        self._reports: OrderedDict[Hashable, tuple[int, object]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, version: int):
        with self._lock:
            found = self._reports.get(key)
            if found is None or found[0] != version:
                return None
            self._reports.move_to_end(key)
            return found[1]

    def put(self, key: Hashable, version: int, report: object) -> None:
        with self._lock:
            found = self._reports.get(key)
            if found is not None and found[0] > version:
                return  # built from an older snapshot than the one already kept
            self._reports[key] = (version, report)
            self._reports.move_to_end(key)
            while len(self._reports) > self.size:
                self._reports.popitem(last=False)


def cached(key: Hashable, build: Callable[[], T]) -> T:
    """`build()`, or the report it returned before if no report data has changed since."""
    db.session.flush()  # pending changes of this session count as writes
    connection = db.session.connection()
    if connection.info.get(_WRITTEN) or not _has_version(connection.engine, connection):
        return build()  # this transaction changed report data that is not committed yet
    version = connection.scalar(select(ReportDataVersion.value))
    if version is None:
        return build()
    reports: ReportCache = current_app.extensions.setdefault("crm.reports.cache", ReportCache())
    report = reports.get(key, version)
    if report is None:
        report = build()
        reports.put(key, version, report)
    return report
