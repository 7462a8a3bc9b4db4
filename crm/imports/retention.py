"""Retention: an import that ended long enough ago keeps no copy of the people's data it was given.

The uploaded spreadsheet, the error file built from it, the preview and the refused rows as they
were (ImportProblem.cells, which the error file is made of) are removed IMPORT_FILES_DAYS after the
import ended: done or failed, or undone. What the import did stays: its counts, each refused row's
number and reason, and what undo needs (ImportChange and the records' own import_run_id), so an
import can still be undone after its file has gone. A worker does it as a chore (crm.jobs.chore);
`crm prune-uploads` does it at once.
"""

from __future__ import annotations

import logging
import shutil
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select, update

from crm.extensions import db
from crm.imports.models import ImportPreview, ImportProblem, ImportRun, ImportStatus
from crm.imports.runs import imports_dir
from crm.timeutil import utcnow

log = logging.getLogger(__name__)
ENDED = (ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.UNDONE)


def retention_days() -> int:
    return int(current_app.config["IMPORT_FILES_DAYS"])


def prune_uploads() -> list[int]:
    """Remove the files and kept rows of the imports that ended more than IMPORT_FILES_DAYS ago; their ids.

    The database first, then the folders: should the commit fail, nothing is gone and the next
    run does it all. Safe to run twice at once (two workers): the second finds nothing more to do."""
    cutoff = utcnow() - timedelta(days=retention_days())
    ended_at = func.coalesce(ImportRun.undone_at, ImportRun.finished_at)
    run_ids = list(
        db.session.scalars(
            select(ImportRun.id).where(
                ImportRun.status.in_(ENDED), ImportRun.files_removed_at.is_(None), ended_at < cutoff
            )
        )
    )
    if not run_ids:
        db.session.commit()
        return []
    db.session.execute(update(ImportProblem).where(ImportProblem.run_id.in_(run_ids)).values(cells=None))
    db.session.execute(delete(ImportPreview).where(ImportPreview.run_id.in_(run_ids)))
    db.session.execute(update(ImportRun).where(ImportRun.id.in_(run_ids)).values(files_removed_at=utcnow()))
    db.session.commit()
    for run_id in run_ids:
        remove_folder(run_id)
    log.info("removed the uploaded files of %d imports", len(run_ids))
    return run_ids


def remove_folder(run_id: int) -> None:
    """The run's folder under instance/imports/: its upload and error file."""
    shutil.rmtree(imports_dir() / str(run_id), ignore_errors=True)
