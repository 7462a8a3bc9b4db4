"""Built reports kept in the database until the data they were counted from changes.

Building the report of a big campaign reads every recipient once, and people open the same report
again and again between changes. So a report, once built, is kept (crm.reports.built_reports) with
the report data version it was counted at (crm.data_version), and any worker of the app serves it
again while the version has not moved. The services that write what a report reads move the
version on in their own transaction, so the first view after such a commit builds afresh.

A page need not wait for a slow build (`served`): when the report took longer than
`REPORT_BACKGROUND_AFTER` seconds to build last time, the first view after a change shows the
figures it had, saying when they were counted, and queues a job of the one job queue (crm.jobs) to
count them again; the page reloads itself until the new ones are there. However many views or
workers ask meanwhile, one job is queued and one build runs (see `built_reports`). Downloads and
services (`cached`) always get fresh figures.

A report is a dataclass of plain values; it goes to the database as JSON (crm.reports.codec). The
job rebuilds a report from its kind's name and arguments alone, so a kind's `build` takes
arguments JSON keeps as they are (ints, strings, None) and the day.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from flask import current_app
from sqlalchemy import Row

from crm import data_version, jobs
from crm.extensions import db
from crm.reports import built_reports, codec
from crm.timeutil import utcnow

T = TypeVar("T")
log = logging.getLogger(__name__)
REBUILD_JOB = "report-rebuild"


@dataclass(frozen=True)
class ReportKind(Generic[T]):
    """A report that is kept: `build(*arguments, day=day)` returns a `type`."""

    name: str
    type: Any
    build: Callable[..., T]

    def key(self, arguments: tuple) -> str:
        key = json.dumps([self.name, *arguments], separators=(",", ":"))
        if len(key) > 200:  # built_report.key
            raise ValueError(f"The key of a kept report is too long: {key[:60]}…")
        return key


KINDS: dict[str, ReportKind] = {}  # by name, for the job, which knows a report by its key only


def report_kind(name: str, type_: Any, build: Callable[..., T]) -> ReportKind[T]:
    kind = KINDS[name] = ReportKind(name, type_, build)
    return kind


@dataclass(frozen=True)
class Served(Generic[T]):
    report: T
    counted_at: datetime  # UTC
    catching_up: bool = False  # data changed since: newer figures are being counted in the background


def cached(kind: ReportKind[T], *arguments: Any, day: date | None = None) -> T:
    """`kind.build(*arguments, day=day)`, or the report it returned before if no report data has changed since."""
    return served(kind, *arguments, day=day, may_lag=False).report


def served(kind: ReportKind[T], *arguments: Any, day: date | None = None, may_lag: bool = True) -> Served[T]:
    """As `cached`, for a page (`may_lag`): if data has changed since the report was built, or it
    was built for another `day`, and that build was slow, the report as it was, marked as catching
    up, while a job builds it again."""
    if data_version.changed_in_this_transaction():
        return _build(kind, arguments, day)  # figures of this transaction alone: not for others
    version = data_version.current()
    if version is None:
        return _build(kind, arguments, day)
    key = kind.key(arguments)
    row = built_reports.load(key)
    if row is not None and (row.data_version, row.day) == (version, day):
        return Served(codec.loads(row.report, kind.type), row.counted_at)
    if not built_reports.may_write_aside():
        return _build(kind, arguments, day)  # it could neither keep the report nor ask for a rebuild
    if may_lag and row is not None and _may_lag(row) and _rebuild_in_background(key, day):
        return Served(codec.loads(row.report, kind.type), row.counted_at, catching_up=True)
    return _build(kind, arguments, day, key=key, version=version)


def _build(
    kind: ReportKind[T], arguments: tuple, day: date | None, *, key: str | None = None, version: int | None = None
) -> Served[T]:
    """Build the report; keep it under `key` if given, as counted at `version`."""
    started = time.perf_counter()
    report = kind.build(*arguments, day=day)
    seconds = time.perf_counter() - started
    counted_at = utcnow()
    if key is not None and version is not None:
        text = codec.dumps(report)
        built_reports.keep(key, data_version=version, day=day, report=text, counted_at=counted_at, seconds=seconds)
    return Served(report, counted_at)


def _may_lag(row: Row) -> bool:
    """Slow to build last time, and no background rebuild failed or stalled since."""
    slow_after = current_app.config.get("REPORT_BACKGROUND_AFTER")
    slow = slow_after is not None and row.build_seconds > slow_after
    return slow and not row.rebuild_failed and not built_reports.given_up(row)


def _rebuild_in_background(key: str, day: date | None) -> bool:
    """Queue the job that builds `key` again, unless one is queued already; False if the queue
    would not take it, so that the view builds the report itself."""
    if not built_reports.ask_for_rebuild(key):
        return True
    try:
        jobs.enqueue(REBUILD_JOB, key, day.isoformat() if day else None)
    except Exception:
        log.exception("queueing the rebuild of report %s failed", key)
        built_reports.rebuild_failed(key)
        return False
    return True


def rebuild(key: str, day: str | None) -> None:
    """The job: build the report `key` again, if this delivery of the job claims it."""
    if not built_reports.claim_rebuild(key):
        return
    name, *arguments = json.loads(key)
    try:
        version = data_version.current()
        _build(KINDS[name], tuple(arguments), date.fromisoformat(day) if day else None, key=key, version=version)
    except Exception:
        log.exception("building report %s in the background failed", key)
        db.session.rollback()
        built_reports.rebuild_failed(key)  # so the next view builds it itself, and shows the error
