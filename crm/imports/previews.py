"""The preview as a background job: a dry run of the whole file, summarised to JSON beside the upload.

A big file takes minutes to dry-run; in a page request that would time out. The job writes
`preview.json` (what the preview page shows) keyed by the choices it ran with, so changing
the columns or the duplicate rule makes a new preview, and reloading the page does not.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from pathlib import Path
from typing import Any

from crm import jobs
from crm.auth.models import User
from crm.extensions import db
from crm.imports.batches import PREVIEW_ROWS, get_run, options_of, stored_path
from crm.imports.models import ImportRun
from crm.imports.pipeline import run_import
from crm.imports.read import UnreadableFile
from crm.imports.results import ImportResult, RowResult

log = logging.getLogger(__name__)
SHOWN = 500  # problems and undecided rows listed on the page
STALE_SECONDS = 30 * 60  # a preview job that has not finished by then has died


def _key(run: ImportRun) -> str:
    choices = [run.sheet, run.preset, run.mapping, run.defaults, run.on_duplicate]
    return hashlib.sha256(json.dumps(choices, sort_keys=True, default=str).encode()).hexdigest()


def _files(run: ImportRun) -> tuple[Path, Path, Path]:
    folder = stored_path(run).parent
    return folder / "preview.json", folder / "preview.running", folder / "preview.progress"


def summary(run: ImportRun) -> dict[str, Any] | None:
    """The finished preview for the run's current choices, or None."""
    done, _, _ = _files(run)
    try:
        data = json.loads(done.read_text())
    except (OSError, ValueError):
        return None
    return data if data.get("key") == _key(run) else None


def progress(run: ImportRun) -> int:
    try:
        return int(_files(run)[2].read_text() or 0)
    except (OSError, ValueError):
        return 0


def start(run: ImportRun) -> None:
    """Queue a preview unless one for these choices is already under way."""
    _, running, progress_file = _files(run)
    key = _key(run)
    try:
        marker = json.loads(running.read_text())
        if marker["key"] == key and time.time() - marker["at"] < STALE_SECONDS:
            return
    except (OSError, ValueError, KeyError):
        pass
    running.write_text(json.dumps({"key": key, "at": time.time()}))
    progress_file.write_text("0")
    jobs.enqueue("import-preview", run.id)


def run_job(run_id: int) -> None:
    run = get_run(run_id)
    done, running, progress_file = _files(run)
    key = _key(run)
    actor = db.session.get(User, run.created_by_id) if run.created_by_id else None
    try:
        result = run_import(
            stored_path(run),
            options_of(run, dry_run=True, keep_values=PREVIEW_ROWS),
            actor=actor,
            file_name=run.file_name,
            progress=lambda count: progress_file.write_text(str(count)),
        )
        data = _summarise(result)
        run = get_run(run_id)  # the dry run's rollback expired it
        run.rows_total = len(result.rows)  # for the import's progress bar
        run.sheet = result.sheet  # the sheet read by default, now named: part of the key below
        db.session.commit()
        key = _key(run)
    except UnreadableFile as error:
        db.session.rollback()
        data = {"error": str(error)}
    except Exception:
        db.session.rollback()
        log.exception("preview of import #%s failed", run_id)
        data = {"error": "The preview stopped on an unexpected error. An admin can find the details in the server log."}
    data["key"] = key
    done.write_text(json.dumps(data, default=str))
    running.unlink(missing_ok=True)


def _summarise(result: ImportResult) -> dict[str, Any]:
    rows = result.rows
    return {
        "counts": dict(result.counts),
        "rows_total": len(rows),
        "has_data_rows": result.has_data_rows,
        "ended_roles": result.ended_roles,
        "message": result.message,
        "first_rows": [_row(row) for row in rows if row.values is not None],
        "problems": [_row(row) for row in rows if row.status == "rejected"][:SHOWN],
        "undecided": [_row(row) for row in rows if row.candidates and row.status == "skipped"][:SHOWN],
        # Rows taken with a warning (a category not kept, a date guessed) and rows left out for a
        # reason (above the header, a totals row, already up to date): listed, not hidden in a count.
        "warned": [_row(row) for row in rows if row.warnings and row.status in ("created", "updated")][:SHOWN],
        "skipped": [_row(row) for row in rows if row.status == "skipped" and not row.candidates][:SHOWN],
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
