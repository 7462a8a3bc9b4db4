"""The report data version: one number that moves on with every commit that changes what a report reads.

Reports come after the features whose data they count (crm.reports after contacts, campaigns,
outreach, taxonomy, duplicates and imports), so those features cannot tell the reports anything
by importing them. Instead a service that writes such data says so here, in its own transaction:
`report_data_changed()`. A built report kept with the version it was counted at is served again
only while the version has not moved (crm.reports.cache).

Saying so only marks the session (`Session.info`); the row moves on once, in a `before_commit`
hook, as the last statement of that same transaction. A view after the commit therefore sees the
new data and the new version together, a rolled-back transaction leaves the version alone, and
the row's lock is held for the commit only, so a long import does not make other writers wait on
it. A write that does not go through `db.session` (a script on `db.engine.begin()`, psql) moves
the version itself: `bump(connection)`, or the next view serves figures from before it.

Nothing here watches SQL: a service that writes report data and forgets to say so leaves the
reports stale, which tests/reports/test_data_version.py checks for every write path.
"""

from __future__ import annotations

import secrets

from flask import Flask
from sqlalchemy import BigInteger, Connection, event, select, text
from sqlalchemy.orm import Mapped, Session, SessionTransaction, mapped_column

from crm.extensions import db

_CHANGED = "crm.report_data_changed"  # key in Session.info: this transaction changed report data


def first_value() -> int:
    """A random start, so that a database created again (tests, a restored copy) does not repeat
    the versions reports were kept under before."""
    return secrets.randbelow(2**62)


class ReportDataVersion(db.Model):
    """One row: a counter every commit that changes what a report reads moves on by one."""

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


@event.listens_for(ReportDataVersion.__table__, "after_create")
def _first_row(table, connection, **_kw) -> None:
    connection.execute(table.insert().values(id=1, value=first_value()))


def report_data_changed() -> None:
    """This transaction of `db.session` wrote data a report reads: the version moves on when it commits."""
    db.session.info[_CHANGED] = True


def changed_in_this_transaction() -> bool:
    """Whether this transaction has changed report data it has not committed yet: its own figures
    differ from everyone else's, so nothing it counts may be kept."""
    return bool(db.session.info.get(_CHANGED))


def current() -> int | None:
    """The version this transaction sees; None if the row is missing (a table emptied by hand)."""
    return db.session.scalar(select(ReportDataVersion.value))


# It creates the row if it is missing, the same statement in SQLite and PostgreSQL.
_BUMP = text(
    "INSERT INTO report_data_version (id, value) VALUES (1, :first) "
    "ON CONFLICT (id) DO UPDATE SET value = report_data_version.value + 1"
)


def bump(connection: Connection) -> None:
    """Move the version on in `connection`'s transaction, for a write made outside `db.session`."""
    connection.execute(_BUMP, {"first": first_value()})


def _move_on(session: Session) -> None:
    if session.info.pop(_CHANGED, False):
        session.execute(_BUMP, {"first": first_value()})


def _forget(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost transaction ended: committed (moved on above) or rolled back
        session.info.pop(_CHANGED, None)


def init_app(_app: Flask) -> None:
    """The session hooks; they belong to the session class, so the first app registers them for all."""
    if not event.contains(db.session, "before_commit", _move_on):
        event.listen(db.session, "before_commit", _move_on)
        event.listen(db.session, "after_transaction_end", _forget)
