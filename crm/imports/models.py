"""An import run, what it changed (so it can be undone), the rows it could not take, and its preview."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.auth.models import User
from crm.extensions import db
from crm.jobs import JobStatus
from crm.timeutil import utcnow

ON_DUPLICATE = {
    "fill": "Fill empty fields only",
    "update": "Update with the file's values",
    "skip": "Skip the row",
    "create": "Create a new person anyway",
}


class ImportStatus(StrEnum):
    """uploaded → (previewed) → queued → running → done | failed;  done → undone"""

    UPLOADED = "uploaded"
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    UNDONE = "undone"


class ImportRun(db.Model):
    """One uploaded file and what importing it did: the import run the history lists and undo reverts."""

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    file_name: Mapped[str] = mapped_column(String(255))  # as uploaded, for people to recognise
    stored_name: Mapped[str] = mapped_column(String(255), default="")  # under instance/imports/
    sheet: Mapped[str | None] = mapped_column(String(200))
    preset: Mapped[str | None] = mapped_column(String(100))
    header_row: Mapped[int | None]
    labels: Mapped[list[str]] = mapped_column(JSON, default=list)  # the header, for the error file
    # column index (as text: JSON keys) → field key; the mapping the person confirmed
    mapping: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    defaults: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # row number → on_duplicate choice, where the preview overrode the run's choice
    overrides: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    on_duplicate: Mapped[str] = mapped_column(String(10), default="fill")
    status: Mapped[str] = mapped_column(String(10), default=ImportStatus.UPLOADED, index=True)
    rows_total: Mapped[int] = mapped_column(default=0)
    rows_done: Mapped[int] = mapped_column(default=0)
    created: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    skipped: Mapped[int] = mapped_column(default=0)
    rejected: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(Text, default="")  # why it failed, or what undo found
    finished_at: Mapped[datetime | None]
    undone_at: Mapped[datetime | None]
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # The uploaded file and the rejected rows as they were, removed once kept long enough (retention)
    files_removed_at: Mapped[datetime | None]

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    undone_by: Mapped[User | None] = relationship(foreign_keys=[undone_by_id])

    @property
    def progress(self) -> int:
        """Percent done, for the progress bar."""
        if self.status in (ImportStatus.DONE, ImportStatus.UNDONE):
            return 100
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0

    @property
    def files_kept(self) -> bool:
        return self.files_removed_at is None

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.UNDONE)


class ImportChange(db.Model):
    """A record the import changed rather than created: its state before, to restore on undo.

    Records the import created carry `import_run_id` themselves, which is cheaper for the
    100 000-row case than a row here each."""

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("import_run.id", ondelete="CASCADE"), index=True)
    entity_type: Mapped[str] = mapped_column(String(20))  # "person", "role" or "external_id" (added)
    entity_id: Mapped[int]
    before: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    version_after: Mapped[int | None]  # a later edit raises the version: undo then reports a conflict


class ImportProblem(db.Model):
    """A row the import rejected or skipped, with the reason, or imported with a warning: the error
    file (rejected rows only) and the result page."""

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("import_run.id", ondelete="CASCADE"), index=True)
    row_number: Mapped[int]
    status: Mapped[str] = mapped_column(String(10))  # a RowStatus: rejected, skipped, or created/updated (a warning)
    column: Mapped[str] = mapped_column(String(200), default="")
    message: Mapped[str] = mapped_column(Text)
    cells: Mapped[list | None] = mapped_column(JSON)  # the row as it was (on its first problem only)


class ImportPreview(db.Model):
    """The preview of a run: a background dry run of the whole file, and its summary for the page.

    Its own table rather than columns on ImportRun: the summary (up to a few thousand rows of
    problems and decisions) is read by the preview page only, not by every list of runs, and the
    foreign key deletes it with a discarded upload. One row per run; `key` hashes the choices the
    preview ran with, so changed columns or duplicate rule make a new preview and a reload does not.
    """

    run_id: Mapped[int] = mapped_column(ForeignKey("import_run.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(10), default=JobStatus.RUNNING)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # what the preview page shows, once done
    error: Mapped[str] = mapped_column(Text, default="")  # why it failed, for the person
