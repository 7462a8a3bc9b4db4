"""A staff member's calendar subscription: the hash of its secret URL's token and what it shows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from crm.extensions import db
from crm.timeutil import utcnow


class CalendarFeed(db.Model):
    """One per staff account, made the first time they ask for a feed; revoking clears the hash and keeps
    the choices, so a new URL later shows what the old one did."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    # SHA-256 of the token in the URL: the table alone (a backup, a database dump) opens no feed.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Milestones of every campaign, not only of those the staff member owns.
    all_campaigns: Mapped[bool] = mapped_column(default=False)
    issued_at: Mapped[datetime | None]
    last_read_at: Mapped[datetime | None]  # when a calendar last fetched it: a URL nobody reads may go
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
