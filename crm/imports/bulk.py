"""Many rows into one table: a COPY on PostgreSQL, a single DBAPI executemany on SQLite.

`session.execute(insert(table), rows)` compiles and processes every row's parameters in
Python; for the 100 000 people of a big import that was a tenth of the import. Here the
statement is compiled once per call and only columns whose type needs converting (dates on
SQLite, JSON) are converted, with the same processors SQLAlchemy itself would use. On
PostgreSQL an executemany still costs a round of messages per row (30 s for the half a million
rows of a 100 000-person import); COPY streams them in one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, insert

from crm.extensions import db
from crm.reports.cache import note_write


def insert_many(table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert `rows` (dicts with the same keys) in the session's transaction."""
    if not rows:
        return
    connection = db.session.connection()
    dialect = connection.dialect
    keys = list(rows[0])
    if dialect.name == "postgresql":
        _copy(connection, table, keys, rows)
        return
    compiled = insert(table).compile(dialect=dialect, column_keys=keys)
    names = compiled.positiontup if compiled.positional else keys
    processors = [(name, table.c[name].type.bind_processor(dialect)) for name in names]
    if compiled.positional:
        params: list[Any] = [tuple(p(row[n]) if p else row[n] for n, p in processors) for row in rows]
    else:
        converting = [(n, p) for n, p in processors if p]
        params = [row | {n: p(row[n]) for n, p in converting} if converting else row for row in rows]
    connection.exec_driver_sql(compiled.string, params)


def _copy(connection, table: Table, keys: list[str], rows: Sequence[dict[str, Any]]) -> None:
    dialect = connection.dialect
    quote = dialect.identifier_preparer.quote
    processors = [(key, table.c[key].type.bind_processor(dialect)) for key in keys]
    statement = f"COPY {dialect.identifier_preparer.format_table(table)} ({', '.join(map(quote, keys))}) FROM STDIN"
    with connection.connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([p(row[k]) if p else row[k] for k, p in processors])
    note_write(connection, table.name)  # the engine's hooks never saw this write
