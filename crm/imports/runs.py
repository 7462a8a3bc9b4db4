"""The wizard's steps on an ImportRun, as plain functions: keep an upload, find a run, start it, follow it.

An "import run" is one uploaded file and what importing it did; the CLI, the history and undo all
name it by its id (ImportResult.run_id, `crm undo-import RUN_ID`)."""

from __future__ import annotations

import logging
import os
import re
import shutil
from pathlib import Path
from typing import IO, Any

from flask import current_app
from sqlalchemy import delete, select, update

from crm import jobs
from crm.auth.models import User
from crm.errors import Conflict, NotFound
from crm.extensions import db
from crm.imports import chunks, stages
from crm.imports.models import ImportPreview, ImportRun, ImportStatus
from crm.imports.pipeline import ImportOptions, run_import
from crm.imports.read import UnreadableFile

log = logging.getLogger(__name__)
PREVIEW_ROWS = 50
JOB = "import"
# The first sentence of a dead worker's run's message; the next says what became of what it wrote.
ABANDONED = "The worker running this import stopped before the end (it was ended, restarted or crashed)."
_SUFFIX = re.compile(r"\.(xlsx|xlsm|xls|ods|csv|tsv|txt|xml)$", re.IGNORECASE)


def imports_dir() -> Path:
    return Path(current_app.config["INSTANCE_DIR"]) / "imports"


def stored_path(run: ImportRun) -> Path:
    return imports_dir() / run.stored_name


def accept_upload(stream: IO[bytes], file_name: str, *, actor: User, max_bytes: int) -> tuple[ImportRun, list[str]]:
    """Keep an uploaded file as a new run, with the names of its sheets; raises UnreadableFile.

    A refused file (too big, not a spreadsheet, unreadable) leaves nothing behind, no file and no
    folder, and the caller rolls the run back: an upload kept is one somebody can go on with."""
    run = save_upload(stream, file_name, actor=actor, max_bytes=max_bytes)
    try:
        return run, stages.sheet_names(stored_path(run))
    except BaseException:
        shutil.rmtree(stored_path(run).parent, ignore_errors=True)
        raise


def save_upload(stream: IO[bytes], file_name: str, *, actor: User, max_bytes: int) -> ImportRun:
    """Keep the uploaded file under instance/imports/<run id>/, refusing oversize ones while copying."""
    run = ImportRun(file_name=(file_name or "upload")[-255:], created_by_id=actor.id, status=ImportStatus.UPLOADED)
    db.session.add(run)
    db.session.flush()
    match = _SUFFIX.search(file_name or "")
    folder = imports_dir() / str(run.id)
    folder.mkdir(parents=True, exist_ok=True)
    run.stored_name = f"{run.id}/upload{match.group(0).lower() if match else ''}"
    try:
        _copy(stream, stored_path(run), max_bytes)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return run


def _copy(stream: IO[bytes], path: Path, max_bytes: int) -> None:
    written = 0
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as target:
        while chunk := stream.read(1024 * 1024):
            written += len(chunk)
            if written > max_bytes:
                raise UnreadableFile(f"The file is larger than the {max_bytes // (1024 * 1024)} MB an import accepts.")
            target.write(chunk)


def get_run(run_id: int) -> ImportRun:
    run = db.session.get(ImportRun, run_id)
    if run is None:
        raise NotFound(f"There is no import #{run_id}.")
    return run


def history(limit: int = 100) -> list[ImportRun]:
    return list(db.session.scalars(select(ImportRun).order_by(ImportRun.id.desc()).limit(limit)))


def options_of(run: ImportRun, **changes: Any) -> ImportOptions:
    options = ImportOptions(
        sheet=run.sheet,
        preset=run.preset,
        mapping={int(index): key for index, key in run.mapping.items()} if run.mapping else None,
        defaults=dict(run.defaults or {}),
        on_duplicate=run.on_duplicate,
        overrides={int(row): action for row, action in (run.overrides or {}).items()},
    )
    for name, value in changes.items():
        setattr(options, name, value)
    return options


def queue(run: ImportRun) -> int:
    """Mark the run queued; the caller commits, then `enqueue`s the id, so the worker sees the queued state.

    The preview has served once the person confirmed: its summary goes."""
    run.status = ImportStatus.QUEUED
    run.rows_done = 0
    db.session.execute(delete(ImportPreview).where(ImportPreview.run_id == run.id))
    return run.id


def enqueue(run_id: int) -> None:
    jobs.enqueue(JOB, run_id)


def can_retry(run: ImportRun) -> bool:
    return run.status == ImportStatus.FAILED and run.files_kept and stored_path(run).is_file()


def retry(run: ImportRun) -> None:
    """Queue a failed import again (its worker died, say); the job is sent when the caller commits.

    What a failed import had written was removed when it failed (chunks.give_up), so running it
    again imports the file once."""
    if run.status != ImportStatus.FAILED:
        raise Conflict(f"Import #{run.id} is {run.status}; only a failed import can be tried again.")
    if not stored_path(run).is_file():
        raise Conflict(f"The file of import #{run.id} is no longer kept; upload it again.")
    run.status, run.message, run.finished_at, run.rows_done = ImportStatus.QUEUED, "", None, 0
    jobs.enqueue_after_commit(JOB, run.id)


def fail_abandoned() -> list[int]:
    """Give up on the imports still "running" whose worker has died (its lease lapsed): a chore.

    Each is marked failed and what its committed chunks wrote is removed (chunks.give_up). A
    live import cannot be caught by mistake: it renews its lease; and should a stalled one be
    taken for dead, the next chunk it begins finds its run failed and stops."""
    running = db.session.scalars(select(ImportRun.id).where(ImportRun.status == ImportStatus.RUNNING)).all()
    db.session.rollback()
    dead = [run_id for run_id in running if not jobs.lease_alive(chunks.lease_key(run_id))]
    given_up = []
    for run_id in dead:
        if chunks.give_up(run_id, ABANDONED) is not None:
            given_up.append(run_id)
            jobs.forget_progress(chunks.lease_key(run_id))
            log.warning("import #%s was left running by a worker that died; marked failed", run_id)
    return given_up


def run_job(run_id: int) -> None:
    """The background job: the same pipeline, for real, reporting progress to the queue's store (crm.jobs)."""
    key = chunks.lease_key(run_id)
    lease = jobs.Lease(key)  # before the run is marked running: a running run always has one, until its worker dies
    # Claimed in one statement: a job delivered twice, or a double click, imports the file once.
    claimed = db.session.execute(
        update(ImportRun)
        .where(ImportRun.id == run_id, ImportRun.status == ImportStatus.QUEUED)
        .values(status=ImportStatus.RUNNING)
    ).rowcount
    db.session.commit()
    if not claimed:
        run = db.session.get(ImportRun, run_id)
        lease.end(forget=run is None or run.status != ImportStatus.RUNNING)  # running: another worker's lease
        return
    run = get_run(run_id)
    actor = db.session.get(User, run.created_by_id) if run.created_by_id else None
    try:
        run_import(
            stored_path(run),
            options_of(run),
            actor=actor,
            run=run,
            file_name=run.file_name,
            progress=lambda done: jobs.report_progress(key, done),
        )
    except chunks.RunTakenOver:
        log.warning("import #%s was given up on by another worker while it ran; stopped", run_id)
    except Exception as error:
        if not isinstance(error, UnreadableFile):
            log.exception("import #%s failed", run_id)
        # The pipeline gave up on the run already, unless it failed before its first row (the file's plan).
        chunks.give_up_after(run_id, error)
    finally:
        jobs.forget_progress(key)  # the run's own row has the counts now
        lease.end()


def rows_done(run: ImportRun) -> int:
    """Rows the import has gone through: counted by the job while it runs, from the run once it has ended."""
    if run.finished:
        return run.rows_total
    return jobs.progress(chunks.lease_key(run.id))
