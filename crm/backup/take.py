"""Taking a backup while the app runs: every table read in one snapshot, then the data files.

One read-only transaction sees every table as it was at one moment, whatever is committed while
the backup runs: REPEATABLE READ on PostgreSQL; on SQLite one read transaction, which under WAL
keeps its snapshot while other connections write. Rows are streamed, a batch at a time, straight
into the archive, so a database of any size is never held in memory.

Files are copied after the rows. An attachment is written before the row that names it is
committed, so every file a row in the snapshot names is already there; a file added since is
copied too and does no harm (no row names it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.engine import Connection

from crm.backup.archive import ArchiveWriter, FileEntry, Manifest, Refused, TableEntry, encode_row, written_aside
from crm.backup.columns import encoder
from crm.backup.contents import TablePlan, data_files, tables
from crm.backup.schema import database_revision, head_revision
from crm.backup.summary import Summary
from crm.extensions import db
from crm.timeutil import utcnow

ROWS_PER_BATCH = 2000
_CHUNK = 1024 * 1024

Progress = Callable[[str, int], None]  # (table, rows written) after each table


def take_backup(path: str | Path, *, progress: Progress | None = None) -> Summary:
    """Write the archive to `path` (replacing it only once complete); Refused if there is nothing to back up."""
    path = Path(path)
    if not path.parent.is_dir():
        raise Refused(f"Cannot write {path}: there is no folder {path.parent}.")
    plans = tables()
    with written_aside(path) as handle, ArchiveWriter(handle) as writer:
        with snapshot() as connection:
            revision = _revision(connection)
            manifest = Manifest(revision, created_at=utcnow().isoformat() + "Z", database=connection.dialect.name)
            for plan in plans:
                manifest.tables.append(_write_table(writer, connection, plan))
                if progress:
                    progress(plan.table.name, manifest.tables[-1].rows)
        for name, file in data_files(Path(current_app.config["INSTANCE_DIR"])):
            entry = _write_file(writer, name, file)
            if entry:
                manifest.files.append(entry)
        writer.finish(manifest)
    return Summary.of(str(path), manifest, path.stat().st_size)


@contextmanager
def snapshot() -> Iterator[Connection]:
    """A connection inside one read-only transaction that sees one moment of the whole database."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
        with engine.connect().execution_options(**options) as connection, connection.begin():
            yield connection
        return
    # The sqlite3 module begins a transaction only before a write, so each SELECT would see the
    # database afresh: take the driver's transaction handling off and begin the read ourselves.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("BEGIN")
        try:
            yield connection
        finally:
            connection.exec_driver_sql("ROLLBACK")


def _revision(connection: Connection) -> str:
    revision, head = database_revision(connection), head_revision()
    if revision is None:
        raise Refused("The database has no schema yet, so there is nothing to back up.")
    if revision != head:
        raise Refused(
            f"The database is at schema {revision} and this version of Advocacy CRM expects {head}: "
            "run `flask --app wsgi db upgrade` first."
        )
    return revision


def _write_table(writer: ArchiveWriter, connection: Connection, plan: TablePlan) -> TableEntry:
    entry = TableEntry(
        name=plan.table.name,
        columns=[list(column) for column in plan.columns],
        primary_key=list(plan.primary_key),
        filled_last=list(plan.filled_last),
    )
    encoders = [encoder(kind) for _name, kind, _nullable in plan.columns]
    statement = select(*plan.table.columns).order_by(*(plan.table.c[name] for name in plan.primary_key))
    result = connection.execution_options(yield_per=ROWS_PER_BATCH).execute(statement)
    with writer.member(entry.member) as member:
        for rows in result.partitions():
            member.write(
                b"".join(encode_row([encode(v) for encode, v in zip(encoders, row, strict=True)]) for row in rows)
            )
            entry.rows += len(rows)
    entry.sha256 = member.sha256
    return entry


def _write_file(writer: ArchiveWriter, name: str, file: Path) -> FileEntry | None:
    try:
        source = file.open("rb")
    except FileNotFoundError:
        return None  # removed since the folder was listed (a rolled-back upload, say)
    entry = FileEntry(path=name, bytes=0, sha256="")
    with source, writer.member(entry.member) as member:
        while chunk := source.read(_CHUNK):
            member.write(chunk)
    entry.bytes, entry.sha256 = member.bytes, member.sha256
    return entry
