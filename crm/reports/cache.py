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

A page need not wait for a slow build (`served`): when the report took longer than
`REPORT_BACKGROUND_AFTER` seconds to build last time, the first view after a change shows the
figures it had, saying when they were counted, while a thread of the app counts them again; the
page reloads itself until the new ones are there. Downloads and services always get fresh figures.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Generic, NamedTuple, TypeVar

from flask import Flask, current_app
from sqlalchemy import event, inspect, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import Pool

from crm.extensions import db
from crm.reports.models import ReportDataVersion, first_value

T = TypeVar("T")
log = logging.getLogger(__name__)

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


def note_write(connection: Connection, table: str) -> None:
    """For a write the engine does not see (a COPY): if `table` is report data, the version moves
    on at this transaction's commit, as for any write."""
    if table in READ_TABLES:
        connection.info[_WRITTEN] = True


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


class Kept(NamedTuple):
    version: int
    day: date | None  # the day a page's report was counted for (see `served`)
    report: object
    counted_at: datetime  # UTC
    seconds: float  # how long the build took

    def serves(self, version: int, day: date | None) -> bool:
        """Built from the data a transaction at `version` sees, for `day`."""
        return (self.version, self.day) == (version, day)


class ReportCache:
    """The last few reports an app built, each with the data version it was built at, and the
    builds running in the background."""

    def __init__(self, size: int = CACHED_REPORTS) -> None:
        self.size = size
        self._reports: OrderedDict[Hashable, Kept] = OrderedDict()
        self._lock = threading.Lock()
        self._rebuilding: dict[Hashable, threading.Thread] = {}
        self._failed: set[Hashable] = set()  # the last background build of these raised

    def get(self, key: Hashable, version: int, day: date | None = None):
        kept = self.latest(key)
        return kept.report if kept is not None and kept.serves(version, day) else None

    def latest(self, key: Hashable) -> Kept | None:
        """The report kept for `key`, whatever version it was built at."""
        with self._lock:
            kept = self._reports.get(key)
            if kept is not None:
                self._reports.move_to_end(key)
            return kept

    def put(self, key: Hashable, kept: Kept) -> None:
        with self._lock:
            found = self._reports.get(key)
            if found is not None and found.version > kept.version:
                return  # built from an older snapshot than the one already kept
            self._reports[key] = kept
            self._reports.move_to_end(key)
            self._failed.discard(key)
            while len(self._reports) > self.size:
                self._reports.popitem(last=False)

    def rebuild(self, key: Hashable, work: Callable[[], None]) -> None:
        """Run `work` in a thread unless one is already rebuilding `key`."""
        with self._lock:
            if key in self._rebuilding:
                return
            thread = threading.Thread(target=self._run, args=(key, work), name=f"report {key}", daemon=True)
            self._rebuilding[key] = thread
        thread.start()

    def _run(self, key: Hashable, work: Callable[[], None]) -> None:
        try:
            work()
        except Exception:
            log.exception("building report %r in the background failed", key)
            self._failed.add(key)  # so the next view builds it in the request, and shows the error
        finally:
            with self._lock:
                del self._rebuilding[key]

    def failed(self, key: Hashable) -> bool:
        return key in self._failed

    def wait(self, timeout: float | None = None) -> None:
        """Until the background builds running now have finished (tests, benchmarks, shutdown)."""
        with self._lock:
            threads = list(self._rebuilding.values())
        for thread in threads:
            thread.join(timeout)


@dataclass(frozen=True)
class Served(Generic[T]):
    report: T
    counted_at: datetime  # UTC
    catching_up: bool = False  # data changed since: newer figures are being counted in the background


def reports_of(app: Flask) -> ReportCache:
    return app.extensions.setdefault("crm.reports.cache", ReportCache())


def _current_version() -> int | None:
    """The data version this transaction sees; None when nothing may be cached: it has written
    report data not committed yet, or the database predates the version table."""
    db.session.flush()  # pending changes of this session count as writes
    connection = db.session.connection()
    if connection.info.get(_WRITTEN) or not _has_version(connection.engine, connection):
        return None
    return connection.scalar(select(ReportDataVersion.value))


def _build(reports: ReportCache, key: Hashable, version: int | None, day: date | None, build: Callable[[], T]) -> Kept:
    started = time.perf_counter()
    report = build()
    kept = Kept(version or 0, day, report, datetime.now(UTC), time.perf_counter() - started)
    if version is not None:
        reports.put(key, kept)
    return kept


def cached(key: Hashable, build: Callable[[], T]) -> T:
    """`build()`, or the report it returned before if no report data has changed since."""
    return served(key, build, may_lag=False).report


def served(key: Hashable, build: Callable[[], T], *, day: date | None = None, may_lag: bool = True) -> Served[T]:
    """As `cached`, for a page (`may_lag`): if data has changed since the report was built, or it
    was built for another `day`, and that build was slow, the report as it was, marked as catching
    up, while a thread builds it again."""
    version = _current_version()
    reports = reports_of(current_app)
    if version is not None:
        kept = reports.latest(key)
        if kept is not None and kept.serves(version, day):
            return Served(kept.report, kept.counted_at)
        if may_lag and kept is not None and _slow(kept) and not reports.failed(key):
            reports.rebuild(key, _in_background(current_app._get_current_object(), reports, key, day, build))
            return Served(kept.report, kept.counted_at, catching_up=True)
    built = _build(reports, key, version, day, build)
    return Served(built.report, built.counted_at)


def _slow(kept: Kept) -> bool:
    slow_after = current_app.config.get("REPORT_BACKGROUND_AFTER")
    return slow_after is not None and kept.seconds > slow_after


def _in_background(
    app: Flask, reports: ReportCache, key: Hashable, day: date | None, build: Callable[[], T]
) -> Callable[[], None]:
    def work() -> None:
        with app.app_context():  # its own session and connection, ended with the context
            _build(reports, key, _current_version(), day, build)

    return work
