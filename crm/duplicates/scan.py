"""The duplicate list of a big database, found in the background and kept until asked again.

Comparing 100 000 people takes too long for a page. With fewer than DUPLICATES_INLINE_LIMIT
people the list is found as the page loads; above it a background job finds it and keeps it in
the `duplicate_scan` table, and the page shows that list, as of when it was found, without the
people merged or archived since.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import JSON, String, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column

from crm import jobs
from crm.contacts.models import Person
from crm.duplicates.distinct import distinct_pairs
from crm.duplicates.finder import Pair, find_duplicates
from crm.extensions import db
from crm.jobs import JobStatus
from crm.timeutil import utcnow

KEEP_PAIRS = 1000  # the likeliest; a page shows the first of them that are still two live people
STUCK_AFTER = timedelta(minutes=30)  # a scan still "running" then died with its worker
JOB = "duplicates-scan"


class DuplicateScan(db.Model):
    """The latest scan of the whole database: one row, made again each time someone asks.

    Kept in the database, not a file beside the app, so every web process and the worker of a
    team deployment see the same list."""

    __tablename__ = "duplicate_scan"

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(10), default=JobStatus.RUNNING)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    people: Mapped[int] = mapped_column(default=0)  # how many were compared
    found: Mapped[list[dict]] = mapped_column(JSON, default=list)  # the pairs, as Pair.as_json
    error: Mapped[str] = mapped_column(Text, default="")  # why it failed, shown on the page

    @property
    def pairs(self) -> list[Pair]:
        return [Pair(pair["a"], pair["b"], pair["score"], pair["reasons"]) for pair in self.found or ()]

    @property
    def stuck(self) -> bool:
        return self.status == JobStatus.RUNNING and jobs.overdue(self.requested_at, STUCK_AFTER)


def people_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Person).where(Person.archived.is_(False)))


def inline() -> bool:
    """Small enough to find the pairs while the page loads."""
    return people_count() < current_app.config["DUPLICATES_INLINE_LIMIT"]


def latest() -> DuplicateScan | None:
    return db.session.scalar(select(DuplicateScan).order_by(DuplicateScan.id.desc()).limit(1))


def request_scan() -> DuplicateScan:
    """Mark a scan as asked for; the job is sent when the caller commits, and the page shows
    "looking" until it has written its list."""
    scan = _the_scan()
    scan.status, scan.requested_at, scan.finished_at = JobStatus.RUNNING, utcnow(), None
    scan.people, scan.found, scan.error = 0, [], ""
    jobs.enqueue_after_commit(JOB)
    return scan


def run_scan() -> None:
    """The job: find the pairs and keep the likeliest."""
    people, found, error = 0, [], ""
    try:
        pairs = find_duplicates(db.session, limit=KEEP_PAIRS)
        people, found = people_count(), [pair.as_json() for pair in pairs]
    except Exception as failure:  # noqa: BLE001 — the page says what went wrong instead of "looking" forever
        current_app.logger.exception("duplicate scan failed")
        error = f"{type(failure).__name__}: {failure}"[:500]
    finally:
        db.session.rollback()
    scan = _the_scan()
    scan.status = JobStatus.FAILED if error else JobStatus.DONE
    scan.people, scan.found, scan.error, scan.finished_at = people, found, error, utcnow()
    db.session.commit()


def _the_scan() -> DuplicateScan:
    """The one row, made on first use."""
    scan = latest()
    if scan is None:
        scan = DuplicateScan()
        db.session.add(scan)
    return scan


def live_pairs(pairs: list[Pair], limit: int) -> list[Pair]:
    """The first `limit` pairs whose two people are both still here and not archived, and not
    marked as different people since the scan."""
    ids = {pair.a_id for pair in pairs} | {pair.b_id for pair in pairs}
    live = set(db.session.scalars(select(Person.id).where(Person.id.in_(ids), Person.archived.is_(False))))
    distinct = distinct_pairs(db.session, ids)
    return [
        pair for pair in pairs if pair.a_id in live and pair.b_id in live and (pair.a_id, pair.b_id) not in distinct
    ][:limit]
