"""What a backup holds: every table the models know and the instance folders that hold data.

Both lists are open-ended on purpose. A table added later is in the next backup without anyone
remembering it (the tables come from the metadata), and so is a file written into one of the
data folders; what is left out is named here, each with its reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Table

from crm.backup.columns import kind_of
from crm.extensions import db

# Left out of the archive and of the restore's emptiness check.
LEFT_OUT_TABLES = {
    # Alembic's own bookkeeping: the manifest carries the revision instead.
    "alembic_version",
    # A cache key, not data: the version finished reports are kept under (crm.data_version). A
    # restored database keeps the random start its migration gave it, so an app still running never
    # serves a report counted from other data under a version it has seen before.
    "report_data_version",
    # Finished reports kept to be shown again (crm.reports.built_reports): counted again on demand.
    "built_report",
    # SQLite's people search index (migration 0028: an FTS5 table and its shadow tables), built from
    # person.search_text by triggers as the restore writes the people.
    "person_search",
    "person_search_data",
    "person_search_idx",
    "person_search_docsize",
    "person_search_config",
}

# Folders under the instance folder whose files are data people put there.
DATA_FOLDERS = (
    "attachments",  # outreach and response attachments (crm.outreach.attachments)
    "mailbox",  # emails waiting on the triage list, as they arrived (crm.mailbox.filing)
    "imports",  # uploaded spreadsheets and what the wizard keeps beside them (crm.imports.runs)
    "presets",  # import presets staff saved in the wizard (crm.imports.presets)
    "letters",  # letter templates and the files of merged letters (crm.letters.storage)
)
# Everything else in the instance folder stays behind, because a new server must not take it over:
# secret_key and first-admin-password (the server's own secrets), the SQLite database (its rows
# are in the archive) and jobs.sqlite3 (the queue of work in flight on this server).
# outbox: the .eml files the mailing writes when no mail server is configured (a laptop's `make run`), copies
# of what was "sent", which the mailings' rows record already.
LEFT_OUT_FILES = ("secret_key", "first-admin-password", "crm.sqlite3", "jobs.sqlite3", "outbox")


@dataclass(frozen=True)
class TablePlan:
    """How one table goes into the archive and comes back."""

    table: Table
    columns: tuple[tuple[str, str, bool], ...]  # (name, kind, nullable) in the table's order
    primary_key: tuple[str, ...]
    # Columns pointing at this table or at one later in the order (organisation.parent_id,
    # outreach.prompted_by_response_id): a restore inserts them empty and fills them in at the end.
    filled_last: tuple[str, ...]


def tables() -> list[TablePlan]:
    """Every table but the left-out ones, in foreign-key order (a table after those it points at)."""
    ordered = [table for table in db.metadata.sorted_tables if table.name not in LEFT_OUT_TABLES]
    position = {table.name: index for index, table in enumerate(ordered)}
    plans = []
    for table in ordered:
        later = {
            key.parent.name
            for key in table.foreign_keys
            if position.get(key.column.table.name, -1) >= position[table.name]
        }
        plans.append(
            TablePlan(
                table=table,
                columns=tuple((column.name, kind_of(column.type), bool(column.nullable)) for column in table.columns),
                primary_key=tuple(column.name for column in table.primary_key.columns),
                filled_last=tuple(column.name for column in table.columns if column.name in later),
            )
        )
    return plans


def data_files(instance_dir: Path) -> Iterator[tuple[str, Path]]:
    """(archive path such as "attachments/3f…", file) for every file of the data folders, sorted.

    Hidden files are left out: they are files being written aside before a rename, not data yet."""
    for folder in DATA_FOLDERS:
        root = instance_dir / folder
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            relative = path.relative_to(instance_dir)
            if path.is_file() and not path.is_symlink() and not any(part.startswith(".") for part in relative.parts):
                yield relative.as_posix(), path


def is_data_path(name: str) -> bool:
    """Whether an archive's file path lands inside a data folder (nothing absolute, no `..`)."""
    parts = name.split("/")
    return (
        len(parts) >= 2
        and parts[0] in DATA_FOLDERS
        and all(part not in ("", ".", "..") and not part.startswith(".") and "\\" not in part for part in parts)
    )
