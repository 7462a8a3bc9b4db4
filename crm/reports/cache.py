"""Finished campaign reports kept in memory until the data they were built from changes.

Building the report of a big campaign reads every recipient once (about a second on SQLite for
200 000 of them, a third of that on PostgreSQL), and people open the same report again and again
between changes. So each app keeps the last few reports it built, with the report data version
(crm.data_version) they were built at, and serves one again only while the version has not moved.
The services that write what a report reads move the version on in their own transaction.

A page need not wait for a slow build (`served`): when the report took longer than
`REPORT_BACKGROUND_AFTER` seconds to build last time, the first view after a change shows the
figures it had, saying when they were counted, while a thread of the app counts them again; the
page reloads itself until the new ones are there. Downloads and services always get fresh figures.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Generic, NamedTuple, TypeVar

from flask import Flask, current_app

from crm import data_version

T = TypeVar("T")
log = logging.getLogger(__name__)

CACHED_REPORTS = 8  # per app; a page's report is small, a workbook's lists every supporter


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
    """The data version this transaction sees; None when nothing may be cached: it has changed report
    data it has not committed yet, or the version row is missing."""
    if data_version.changed_in_this_transaction():
        return None
    return data_version.current()


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
