"""Many rows into one table: a COPY on PostgreSQL, a single DBAPI executemany on SQLite.

`session.execute(insert(table), rows)` compiles and processes every row's parameters in
Python; for the 100 000 people of a big import that was a tenth of the import. Here the
statement is compiled once per call and only columns whose type needs converting (dates on
SQLite, JSON) are converted, with the same processors SQLAlchemy itself would use. On
PostgreSQL an executemany still costs a round of messages per row, and a 100 000-person import
writes half a million rows; COPY streams them in one.

Nothing here says what the rows mean to other features: a caller whose writes change what a
report counts says so itself (crm.data_version).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, insert

from crm.extensions import db


def insert_many(table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert `rows` (dicts with the same keys) in the session's transaction."""
    if not rows:
        return
    connection = db.session.connection()
    dialect = connection.dialect
    keys = list(rows[0])
    if dialect.name == "postgresql":
        _copy(connection, table, _processors(table, keys, dialect), rows)
        return
    compiled = insert(table).compile(dialect=dialect, column_keys=keys)
    processors = _processors(table, compiled.positiontup if compiled.positional else keys, dialect)
    if compiled.positional:
        params: list[Any] = [tuple(p(row[n]) if p else row[n] for n, p in processors) for row in rows]
    else:
        converting = [(n, p) for n, p in processors if p]
        params = [row | {n: p(row[n]) for n, p in converting} if converting else row for row in rows]
    connection.exec_driver_sql(compiled.string, params)


def _processors(table: Table, names: Sequence[str], dialect) -> list[tuple[str, Any]]:
    """(column, the function converting its value for the driver, or None) in `names` order."""
    return [(name, table.c[name].type.bind_processor(dialect)) for name in names]


def _copy(connection, table: Table, processors: list[tuple[str, Any]], rows: Sequence[dict[str, Any]]) -> None:
    preparer = connection.dialect.identifier_preparer
    columns = ", ".join(preparer.quote(key) for key, _processor in processors)
    statement = f"COPY {preparer.format_table(table)} ({columns}) FROM STDIN"
    with connection.connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([p(row[k]) if p else row[k] for k, p in processors])
