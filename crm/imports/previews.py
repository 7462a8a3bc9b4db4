"""The preview as a background job: a dry run of the whole file, summarised into the run's ImportPreview row.

A big file takes too long to dry-run within a page request. The job leaves the summary (what the
preview page shows) keyed by the choices it ran with, so changing the columns or the duplicate
rule makes a new preview, and reloading the page does not. While it runs, the row says so (a
preview marked running for longer than STALE_AFTER has died and is started again) and its
rows-read counter lives in the queue's store (crm.jobs): the dry run holds its transaction open
to the end, so nothing it writes to the database is seen before then.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import timedelta
from typing import Any

from crm import jobs
from crm.auth.models import User
from crm.extensions import db
from crm.imports.models import ImportPreview, ImportRun
from crm.imports.pipeline import run_import
from crm.imports.read import UnreadableFile
from crm.imports.results import ImportResult, RowResult, RowStatus
from crm.imports.runs import PREVIEW_ROWS, get_run, options_of, stored_path
from crm.jobs import JobStatus
from crm.timeutil import utcnow

log = logging.getLogger(__name__)
SHOWN = 500  # problems and undecided rows listed on the page
STALE_AFTER = timedelta(minutes=30)  # a preview job that has not finished by then has died
JOB = "import-preview"


def _key(run: ImportRun) -> str:
    choices = [run.sheet, run.preset, run.mapping, run.defaults, run.on_duplicate]
    return hashlib.sha256(json.dumps(choices, sort_keys=True, default=str).encode()).hexdigest()


def summary(run: ImportRun) -> dict[str, Any] | None:
    """The finished preview for the run's current choices (or {"error": why} if it failed), or None."""
    preview = db.session.get(ImportPreview, run.id)
    if preview is None or preview.key != _key(run) or preview.status == JobStatus.RUNNING:
        return None
    if preview.status == JobStatus.FAILED:
        return {"error": preview.error}
    return preview.summary


def progress(run: ImportRun) -> int:
    """Rows the running preview has read so far."""
    return jobs.progress(_progress_key(run.id))


def start(run: ImportRun) -> None:
    """Mark a preview for the run's choices as running, unless one is under way; the job is sent when
    the caller commits, so the worker finds the mark."""
    key = _key(run)
    preview = db.session.get(ImportPreview, run.id)
    if preview is None:
        preview = ImportPreview(run_id=run.id)
        db.session.add(preview)
    elif (
        preview.status == JobStatus.RUNNING and preview.key == key and not jobs.overdue(preview.started_at, STALE_AFTER)
    ):
        return
    preview.key, preview.status, preview.started_at = key, JobStatus.RUNNING, utcnow()
    preview.finished_at, preview.summary, preview.error = None, None, ""
    jobs.forget_progress(_progress_key(run.id))
    jobs.enqueue_after_commit(JOB, run.id)


def run_job(run_id: int) -> None:
    run = get_run(run_id)
    started_key = key = _key(run)
    actor = db.session.get(User, run.created_by_id) if run.created_by_id else None
    data: dict[str, Any] | None = None
    error = ""
    try:
        result = run_import(
            stored_path(run),
            options_of(run, dry_run=True, keep_values=PREVIEW_ROWS),
            actor=actor,
            file_name=run.file_name,
            progress=lambda count: jobs.report_progress(_progress_key(run_id), count),
        )
        # As JSON reads it back: cell values such as dates become text, as the page shows them.
        data = json.loads(json.dumps(_summarise(result), default=str))
        run = get_run(run_id)  # the dry run's rollback expired it
        run.rows_total = len(result.rows)  # for the import's progress bar
        run.sheet = result.sheet  # the sheet read by default, now named: part of the key below
        key = _key(run)
    except UnreadableFile as failure:
        db.session.rollback()
        error = str(failure)
    except Exception:
        db.session.rollback()
        log.exception("preview of import #%s failed", run_id)
        error = "The preview stopped on an unexpected error. An admin can find the details in the server log."
    _finish(run_id, started_key, key, data, error)
    jobs.forget_progress(_progress_key(run_id))


def _finish(run_id: int, started_key: str, key: str, data: dict[str, Any] | None, error: str) -> None:
    preview = db.session.get(ImportPreview, run_id)
    # Choices changed while this one ran (a newer preview is marked), or the upload was discarded:
    # this result is for nobody, and the newer mark stays.
    if preview is not None and preview.key == started_key:
        preview.key, preview.finished_at = key, utcnow()
        preview.status = JobStatus.FAILED if error else JobStatus.DONE
        preview.summary, preview.error = data, error
    db.session.commit()


def _progress_key(run_id: int) -> str:
    return f"{JOB}:{run_id}"


def _summarise(result: ImportResult) -> dict[str, Any]:
    rows = result.rows
    return {
        "counts": dict(result.counts),
        "rows_total": len(rows),
        "has_data_rows": result.has_data_rows,
        "ended_roles": result.ended_roles,
        "message": result.message,
        "first_rows": [_row(row) for row in rows if row.values is not None],
        "problems": [_row(row) for row in rows if row.status == RowStatus.REJECTED][:SHOWN],
        "undecided": [_row(row) for row in rows if row.candidates and row.status == RowStatus.SKIPPED][:SHOWN],
        # Rows taken with a warning (a category not kept, a date guessed) and rows left out for a
        # reason (above the header, a totals row, already up to date): listed, not hidden in a count.
        "warned": [_row(row) for row in rows if row.warnings and row.status in (RowStatus.CREATED, RowStatus.UPDATED)][
            :SHOWN
        ],
        "skipped": [_row(row) for row in rows if row.status == RowStatus.SKIPPED and not row.candidates][:SHOWN],
    }


def _row(row: RowResult) -> dict[str, Any]:
    # "fields", not "values": a template reading row.values would get the dict's method.
    return {
        "row": row.row,
        "status": row.status,
        "fields": row.values or {},
        "errors": [problem.as_dict() for problem in row.errors],
        "warnings": [problem.as_dict() for problem in row.warnings],
        "changes": row.changes or {},
        "candidates": [
            {
                "person_id": candidate.person_id,
                "row_number": candidate.row_number,
                "name": candidate.name,
                "score": candidate.score,
                "reasons": candidate.reasons,
            }
            for candidate in row.candidates
        ],
    }
