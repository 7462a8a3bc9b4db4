"""Built reports, kept in the database for every worker of the app (see crm.reports.cache)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm.extensions import db


class BuiltReport(db.Model):
    """A report as it was last built, with the data version (crm.data_version) it was counted at.

    One row per report and its arguments; any web or job worker serves it while the version has
    not moved. The rebuild columns let a page show it while a job counts it again."""

    key: Mapped[str] = mapped_column(String(200), primary_key=True)  # JSON of [kind, *arguments]
    data_version: Mapped[int] = mapped_column(BigInteger)
    day: Mapped[date | None]  # the day it was counted for ("awaiting a reply" depends on it)
    report: Mapped[str] = mapped_column(Text)  # JSON (crm.reports.codec)
    counted_at: Mapped[datetime]  # UTC
    build_seconds: Mapped[float]
    rebuild_requested_at: Mapped[datetime | None]  # a page asked for a background rebuild (UTC)
    rebuild_started_at: Mapped[datetime | None]  # a job claimed it (UTC)
    rebuild_failed: Mapped[bool] = mapped_column(default=False)  # the last background rebuild raised
