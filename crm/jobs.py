"""Background jobs (Huey): an embedded SQLite queue by default, Redis in the team deployment.

CRM_JOBS_URL picks the broker: unset → instance/jobs.sqlite3, "redis://host:6379/0" → Redis.
`flask --app wsgi crm worker` runs the consumer; `make run` starts it beside the web server.
With JOBS_IMMEDIATE (tests) a job runs at once in the calling thread.

What a job leaves behind (an import's counts, a preview's summary, a duplicate scan's list) and
whether it is running live in tables of the main database, so that a team deployment shares no
folder but the uploads. A job's progress counter does not: an import runs in one transaction, so
a counter written in it stays invisible until the end, and one written from a second connection
would wait for the import's write lock on SQLite. Counters go to the queue's own key/value store
(Redis, or the queue's SQLite file), where the web processes read them while the worker writes.

A worker can die mid-job (kill -9, a crash, a lost machine), and a queue does not hand the job
out again. So a job that marks something "running" in the database holds a lease beside its
progress counter, renewed by a thread of its own while the job works; once the lease has lapsed,
the job died. Chores (`chore`) run when `crm worker` starts and then on a schedule: one fails the
imports whose lease lapsed, another removes old uploads.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab
from huey.constants import EmptyData
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from crm.extensions import db
from crm.timeutil import utcnow

_AFTER_COMMIT = "crm.jobs.after_commit"
log = logging.getLogger(__name__)


class JobStatus(StrEnum):
    """Where a job that leaves a result stands: a preview, a duplicate scan."""

    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


def init_app(app: Flask) -> None:
    app.extensions["huey"] = _make_huey(app)
    app.extensions["jobs"] = {}
    app.extensions["job_chores"] = {}


def _make_huey(app: Flask) -> Huey:
    if app.config.get("JOBS_IMMEDIATE"):
        return MemoryHuey("crm", immediate=True)
    url = app.config.get("JOBS_URL") or ""
    if url.startswith(("redis://", "rediss://")):
        return RedisHuey("crm", url=url)
    path = url.removeprefix("sqlite:///") if url else str(Path(app.config["INSTANCE_DIR"]) / "jobs.sqlite3")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("crm", filename=path)


def register(app: Flask, name: str, function: Callable[..., Any]) -> None:
    """Make `function(*args)` a job of this app; it runs inside an app context."""

    def in_app_context(*args: Any) -> Any:
        with app.app_context():
            return function(*args)

    in_app_context.__name__ = name
    app.extensions["jobs"][name] = app.extensions["huey"].task(name=name)(in_app_context)


def enqueue(name: str, *args: Any) -> None:
    current_app.extensions["jobs"][name](*args)


def enqueue_after_commit(name: str, *args: Any) -> None:
    """Send the job when the caller commits its transaction, and not at all if it rolls back.

    The job reads what the request wrote (a preview's or a scan's "running" row): sent before the
    commit, a worker could start first, find the old row, and have its result overwritten by it."""
    db.session.info.setdefault(_AFTER_COMMIT, []).append((name, args))


@event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint released: the transaction goes on
        return
    for name, args in session.info.pop(_AFTER_COMMIT, ()):
        enqueue(name, *args)


@event.listens_for(Session, "after_transaction_end")
def _drop_unsent(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the whole transaction ended without a commit (a commit sent them already)
        session.info.pop(_AFTER_COMMIT, None)


def overdue(started_at: datetime, limit: timedelta) -> bool:
    """A job still marked running this long after it started has died with its worker."""
    return utcnow() - started_at > limit


def report_progress(key: str, done: int) -> None:
    """Rows done so far by the job `key` names, for the page that follows it."""
    _store().put_data(_progress_key(key), str(done).encode())


def progress(key: str) -> int:
    stored = _store().peek_data(_progress_key(key))
    if stored is EmptyData:
        return 0
    try:
        return int(stored)
    except (TypeError, ValueError):
        return 0


def forget_progress(key: str) -> None:
    """The job has ended: its lasting state is in the database now."""
    _store().delete_data(_progress_key(key))


def _progress_key(key: str) -> str:
    return f"progress:{key}"


def _store():
    return current_app.extensions["huey"].storage


def huey(app: Flask) -> Huey:
    return app.extensions["huey"]


# -- leases: is the job that marked something running still alive? ------------------------------


class Lease:
    """Held by a running job: a time in the queue's store, renewed by a thread until `end`.

    A thread rather than the job's own progress reports: a job may work long between two reports
    (reading a big file, loading the people to match against), and is alive all the while."""

    def __init__(self, key: str) -> None:
        self.key = key
        self._store, self._seconds = _store(), lease_seconds()
        self._stop = threading.Event()
        self._renew()  # held before the job marks anything running, so no one sees it running without one
        self._thread = threading.Thread(target=self._keep, name=f"lease {key}", daemon=True)
        self._thread.start()

    def _renew(self) -> None:
        self._store.put_data(_lease_key(self.key), str(time.time() + self._seconds).encode())

    def _keep(self) -> None:
        while not self._stop.wait(self._seconds / 4):
            try:
                self._renew()
            except Exception:  # a busy queue store: the next renewal is in time as long as one succeeds
                log.warning("could not renew the lease of %s", self.key, exc_info=True)

    def end(self, *, forget: bool = True) -> None:
        """Stop renewing; `forget` drops the lease (keep it when another worker runs the same job)."""
        self._stop.set()
        self._thread.join()
        if forget:
            self._store.delete_data(_lease_key(self.key))


def lease_alive(key: str) -> bool:
    stored = _store().peek_data(_lease_key(key))
    if stored is EmptyData:
        return False
    try:
        return float(stored) > time.time()
    except (TypeError, ValueError):
        return False


def lease_seconds() -> float:
    return float(current_app.config["JOBS_LEASE_SECONDS"])


def _lease_key(key: str) -> str:
    return f"lease:{key}"


# -- chores: housekeeping done by the workers ---------------------------------------------------


def chore(app: Flask, name: str, function: Callable[[], Any], *, schedule: crontab) -> None:
    """`function()` runs when a worker starts (`run_chores`) and then as a periodic job on `schedule`.

    Every worker runs them, so a chore must be safe to run twice at once."""

    def in_app_context() -> Any:
        with app.app_context():
            return function()

    in_app_context.__name__ = name
    app.extensions["job_chores"][name] = function
    app.extensions["huey"].periodic_task(schedule, name=name)(in_app_context)


def run_chores(app: Flask) -> None:
    """The chores, once, in this app's context; one that fails is logged and the others still run."""
    for name, function in app.extensions["job_chores"].items():
        with app.app_context():
            try:
                function()
            except Exception:
                log.exception("the chore %s failed; the worker runs it again later", name)
