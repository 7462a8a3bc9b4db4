"""What a user has ticked on a list, and the bulk actions taken on a selection."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.auth.models import User
from crm.extensions import db
from crm.timeutil import utcnow


class SelectionItem(db.Model):
    """One ticked row of a list (kind "people", "organisations", "outreach"), kept across pages and
    visits until its user clears it. Plain ids, no foreign key per kind: a row whose record has gone
    since is simply not counted (every read joins the record's table)."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    item_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)


class BulkAction(db.Model):
    """One tag, untag, archive or add-to-campaign over a selection: who, what, how many, and whether it was undone.

    Its audit entry is ("bulk_action", id); the records it actually changed are its items, so an
    undo reverts exactly those and nothing the selection held that was already in that state."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20))  # people | organisations
    action: Mapped[str] = mapped_column(String(20))  # tag | untag | archive | campaign_target | campaign_supporter
    tag_id: Mapped[int | None] = mapped_column(ForeignKey("tag.id", ondelete="SET NULL"))
    tag_name: Mapped[str] = mapped_column(String(60), default="")  # as it was named then
    # The campaign people were added to (campaign_target, campaign_supporter), and its name then.
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id", ondelete="SET NULL"))
    campaign_name: Mapped[str] = mapped_column(String(200), default="")
    selected: Mapped[int] = mapped_column(default=0)  # how many were selected
    changed: Mapped[int] = mapped_column(default=0)  # how many it changed (its items)
    undone_at: Mapped[datetime | None]
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])


class BulkActionItem(db.Model):
    """A record a bulk action changed."""

    # A record's page lists the bulk actions that changed it (crm.selections.history).
    __table_args__ = (Index("ix_bulk_action_item_item", "item_id"),)

    action_id: Mapped[int] = mapped_column(ForeignKey("bulk_action.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
