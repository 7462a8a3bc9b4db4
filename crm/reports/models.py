"""The data version the report cache checks (see crm.reports.cache)."""

from __future__ import annotations

import secrets

from sqlalchemy import BigInteger, event
from sqlalchemy.orm import Mapped, mapped_column

from crm.extensions import db


def first_value() -> int:
    """A random start, so that a database created again (tests, a restored copy) never repeats the
    versions an app still running has cached reports under."""
    return secrets.randbelow(2**62)


class ReportDataVersion(db.Model):
    """One row: a counter every commit that changes what a report reads moves on by one."""

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


@event.listens_for(ReportDataVersion.__table__, "after_create")
def _first_row(table, connection, **_kw) -> None:
    connection.execute(table.insert().values(id=1, value=first_value()))
