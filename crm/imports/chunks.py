"""An import's transactions: it commits in chunks, so others can write between them.

SQLite has one writer at a time: an import in one transaction kept every editor waiting until
it ended. So a real import commits every IMPORT_CHUNK_ROWS rows or IMPORT_CHUNK_SECONDS,
whichever comes first, and on SQLite pauses a moment after each commit: a save waiting for the
lock polls every 100 ms at most, so the pause lets it in.

Each chunk begins with a write to the run's own row. That takes SQLite's write lock (and, on
PostgreSQL, the run's row) before the chunk reads anything, so what the chunk reads nobody
changes before it writes; and it finds out when the run is no longer running (a worker that
took this one for dead failed it), then stops.

Everything a chunk writes carries the run's id, as before, so undo removes all of it; an
import that stops half-way (an error, Ctrl-C, a killed worker) has what it committed removed
again by `give_up`, called by the pipeline or, for a killed worker, by `runs.fail_abandoned`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from flask import current_app
from sqlalchemy import update

from crm import database_errors
from crm.data_version import report_data_changed
from crm.extensions import db
from crm.imports import undo
from crm.imports.models import ImportRun, ImportStatus
from crm.imports.read import UnreadableFile
from crm.timeutil import utcnow

log = logging.getLogger(__name__)
# Longer than SQLite's longest wait between two tries for a lock (100 ms), so one waiting gets its turn.
SQLITE_PAUSE = 0.15


def lease_key(run_id: int) -> str:
    """The run's lease and progress counter in the queue's store (crm.jobs)."""
    return f"import:{run_id}"


class RunTakenOver(Exception):
    """The run was marked failed by someone else meanwhile (its worker was taken for dead): stop."""


class Chunks:
    def __init__(self, run: ImportRun, flush: Callable[[], None], on_commit: Callable[[int], None] | None) -> None:
        self.run_id = run.id
        self._flush = flush  # the writer's: rows it holds are written before a commit
        self._on_commit = on_commit
        self._rows = current_app.config["IMPORT_CHUNK_ROWS"]
        self._seconds = current_app.config["IMPORT_CHUNK_SECONDS"]
        self._sqlite = db.session.get_bind().dialect.name == "sqlite"
        self._in_chunk, self._started = 0, time.monotonic()

    def begin(self, done: int) -> None:
        """Start a chunk: hold the run's row (and SQLite's write lock) before anything is read."""
        still_running = db.session.execute(
            update(ImportRun)
            .where(ImportRun.id == self.run_id, ImportRun.status == ImportStatus.RUNNING)
            .values(rows_done=done)
            .execution_options(synchronize_session=False)
        ).rowcount
        if not still_running:
            raise RunTakenOver(f"Import #{self.run_id} is no longer running here.")
        self._in_chunk, self._started = 0, time.monotonic()

    def row_done(self, done: int) -> None:
        """After each row: commit when the chunk is full or has held the lock long enough."""
        self._in_chunk += 1
        if self._in_chunk >= self._rows or time.monotonic() - self._started >= self._seconds:
            self.commit(done)
            self.begin(done)

    def commit(self, done: int) -> None:
        self._flush()
        report_data_changed()
        db.session.commit()
        if self._on_commit:
            self._on_commit(done)
        if self._sqlite:
            time.sleep(SQLITE_PAUSE)


def why_stopped(error: BaseException) -> str:
    """The first sentence of a stopped run's message."""
    if isinstance(error, UnreadableFile):
        return str(error)
    if isinstance(error, KeyboardInterrupt):
        return "The import was interrupted."
    if isinstance(error, database_errors.UNAVAILABLE):
        return "The import stopped: the database was busy or out of reach."
    return "The import stopped on an unexpected error. An admin can find the details in the server log."


def give_up_after(run_id: int, error: BaseException) -> None:
    """`give_up` for an import that raised `error`; when even that fails (the database is gone),
    the run stays running until its lease lapses and a worker's chore gives up on it."""
    try:
        give_up(run_id, why_stopped(error))
    except Exception:
        db.session.rollback()
        log.exception("import #%s stopped and could not be marked failed yet", run_id)


def give_up(run_id: int, reason: str) -> undo.UndoReport | None:
    """Mark a running import failed and remove what its committed chunks wrote; commits.

    `reason` says why it stopped; the run's message adds what became of the rows written.
    None when the run was not running (someone else gave up on it first)."""
    db.session.rollback()
    claimed = db.session.execute(
        update(ImportRun)
        .where(ImportRun.id == run_id, ImportRun.status == ImportStatus.RUNNING)
        .values(status=ImportStatus.FAILED, finished_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        db.session.rollback()
        return None
    run = db.session.get(ImportRun, run_id, populate_existing=True)
    report = undo.revert_unfinished(run)
    run.message = f"{reason} {undo.unfinished_summary(report)}"
    db.session.commit()
    if report:
        log.warning("import #%s stopped; %s", run_id, run.message)
    return report
