"""Restoring an archive into an empty database of either kind, and its files into the instance folder.

Nothing is written until the whole archive has been read and checked (`check_archive`) and the
database found empty. Then the rows go in, in foreign-key order, in one transaction; the files
are unpacked beside the instance folders and moved into place only after that transaction has
committed, so a failure leaves neither rows nor files.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import Column, MetaData, Table, and_, bindparam, delete, select, text, update
from sqlalchemy.engine import Connection

from crm import MIGRATIONS_DIR
from crm.backup.archive import Archive, TableEntry, check_archive
from crm.backup.columns import sql_type
from crm.backup.schema import known_revisions
from crm.backup.summary import Summary
from crm.backup.target import DEFAULT_LISTS, STARTER_TABLES, check_empty, check_target
from crm.contacts import search_index
from crm.data_version import bump
from crm.extensions import db
from crm.sql.bulk_insert import insert_many

ROWS_PER_BATCH = 2000

Progress = Callable[[str, int], None]  # (table, rows restored) after each table


def restore_backup(path: str | Path, *, progress: Progress | None = None) -> Summary:
    """Restore the archive at `path`; Refused (nothing written) when it or the database is not fit."""
    path = Path(path)
    instance_dir = Path(current_app.config["INSTANCE_DIR"])
    archive = check_archive(path, known_revisions())
    try:
        manifest = archive.manifest
        with db.engine.connect() as connection:
            target = check_target(connection, manifest, instance_dir)
        if target.needs_schema:
            upgrade(directory=MIGRATIONS_DIR, revision=manifest.revision)
        instance_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=instance_dir, prefix=".restore-"))
        try:
            _load_rows(archive, db.session.connection(), progress)
            _unpack_files(archive, staging)
            db.session.commit()
            _move_into_place(staging, instance_dir)
        except BaseException:
            db.session.rollback()
            raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    finally:
        archive.close()
    return Summary.of(str(path), manifest, path.stat().st_size)


def _load_rows(archive: Archive, connection: Connection, progress: Progress | None) -> None:
    entries = archive.manifest.tables
    # Checked before, and again in the transaction that writes: something may have written since.
    check_empty(connection, [entry.name for entry in entries])
    for entry in reversed(entries):
        if entry.name in DEFAULT_LISTS or entry.name in STARTER_TABLES:
            connection.execute(delete(_table_of(entry)))
    filled_last = []
    for entry in entries:
        table = _table_of(entry)
        filled_last.append((table, entry, _insert(archive, entry, table)))
        if progress:
            progress(entry.name, entry.rows)
    for table, entry, rows in filled_last:
        _fill_in(connection, table, entry, rows)
    if connection.dialect.name == "postgresql":
        _move_sequences_on(connection, [table for table, _entry, _rows in filled_last])
    search_index.rebuild(connection)  # the archive leaves the index out: made again from the people
    bump(connection)  # every report kept from before counts other data


def _table_of(entry: TableEntry) -> Table:
    """The table as the archive describes it, typed by the archive's column kinds."""
    columns = [
        Column(name, sql_type(kind, nullable=nullable), primary_key=name in entry.primary_key, nullable=nullable)
        for name, kind, nullable in entry.columns
    ]
    return Table(entry.name, MetaData(), *columns)


def _insert(archive: Archive, entry: TableEntry, table: Table) -> list[dict[str, Any]]:
    """Insert the table's rows, the columns in `filled_last` left empty; return what they must hold."""
    names = [name for name, _kind, _nullable in entry.columns]
    later: list[dict[str, Any]] = []
    batch: list[dict[str, Any]] = []
    for values in archive.rows(entry):
        row = dict(zip(names, values, strict=True))
        if any(row[name] is not None for name in entry.filled_last):
            later.append({name: row[name] for name in (*entry.primary_key, *entry.filled_last)})
            row.update(dict.fromkeys(entry.filled_last))
        batch.append(row)
        if len(batch) >= ROWS_PER_BATCH:
            insert_many(table, batch)
            batch = []
    insert_many(table, batch)
    return later


def _fill_in(connection: Connection, table: Table, entry: TableEntry, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    key = and_(*(table.c[name] == bindparam(f"key_{name}") for name in entry.primary_key))
    values = {name: bindparam(f"value_{name}", type_=table.c[name].type) for name in entry.filled_last}
    params = [
        {f"key_{name}" if name in entry.primary_key else f"value_{name}": value for name, value in row.items()}
        for row in rows
    ]
    connection.execute(update(table).where(key).values(values), params)


def _move_sequences_on(connection: Connection, tables: list[Table]) -> None:
    """Each id sequence past the highest id restored, so the next record gets a new one."""
    preparer = connection.dialect.identifier_preparer
    for table in tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1:
            continue
        highest = connection.execute(select(keys[0]).order_by(keys[0].desc()).limit(1)).scalar()
        if isinstance(highest, int):
            connection.execute(
                text("SELECT setval(pg_get_serial_sequence(:table, :column), :highest)"),
                {"table": preparer.format_table(table), "column": keys[0].name, "highest": highest},
            )


def _unpack_files(archive: Archive, staging: Path) -> None:
    for entry in archive.manifest.files:
        target = staging / entry.path
        target.parent.mkdir(parents=True, exist_ok=True)
        archive.copy_file(entry, target)


def _move_into_place(staging: Path, instance_dir: Path) -> None:
    for file in sorted(path for path in staging.rglob("*") if path.is_file()):
        target = instance_dir / file.relative_to(staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(file, target)
