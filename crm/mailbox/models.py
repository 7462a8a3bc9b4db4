"""What arrived by email: every message once (keyed by its Message-ID), and the triage list."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.contacts.models import Person
from crm.extensions import db
from crm.timeutil import utcnow


class Filed(StrEnum):
    """What became of a message."""

    REPLY = "reply"  # a response to one of our participations
    OUTREACH = "outreach"  # staff wrote to contacts: an email outreach entry
    TRIAGE = "triage"  # waiting for staff on the triage list
    FAILED = "failed"  # could not be read; the reason says why (tried again if it comes again)


class TriageState(StrEnum):
    OPEN = "open"
    FILED = "filed"  # staff attached it somewhere
    DISCARDED = "discarded"  # put aside; undoable


# The people a message names (sender, recipients): what a duplicate reports, and what erasure finds.
received_message_person = Table(
    "received_message_person",
    db.metadata,
    Column("received_message_id", ForeignKey("received_message.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class ReceivedMessage(db.Model):
    """One email as it arrived, filed once: the same Message-ID again is a duplicate."""

    id: Mapped[int] = mapped_column(primary_key=True)
    # "<Message-ID>" as sent, or "sha256:…" of the bytes for a message without one.
    message_key: Mapped[str] = mapped_column(String(250), unique=True)
    status: Mapped[str] = mapped_column(String(20))
    origin: Mapped[str] = mapped_column(String(20))  # imap, upload, command
    subject: Mapped[str] = mapped_column(String(300), default="")
    from_address: Mapped[str] = mapped_column(String(254), default="")
    sent_at: Mapped[datetime | None]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    # What was left out (a program, a file too large) or why it failed, one line each.
    notes: Mapped[str] = mapped_column(Text, default="")
    outreach_id: Mapped[int | None] = mapped_column(ForeignKey("outreach.id", ondelete="SET NULL"), index=True)
    response_id: Mapped[int | None] = mapped_column(ForeignKey("response.id", ondelete="SET NULL"), index=True)
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    people: Mapped[list[Person]] = relationship(secondary=received_message_person, order_by=Person.id)
    triage: Mapped[TriageMessage | None] = relationship(back_populates="received", cascade="all, delete-orphan")


class TriageMessage(db.Model):
    """A message no rule could file: staff attach it to a person, an outreach or a campaign, or discard it.

    The message itself is kept as a file under instance/mailbox/ so that filing it later stores its
    attachments exactly as an automatic filing would."""

    id: Mapped[int] = mapped_column(primary_key=True)
    received_message_id: Mapped[int] = mapped_column(ForeignKey("received_message.id", ondelete="CASCADE"), unique=True)
    state: Mapped[str] = mapped_column(String(20), default=TriageState.OPEN, index=True)
    reason: Mapped[str] = mapped_column(String(300), default="")
    from_name: Mapped[str] = mapped_column(String(200), default="")
    from_address: Mapped[str] = mapped_column(String(254), default="", index=True)
    recipients: Mapped[str] = mapped_column(Text, default="")  # To and Cc, comma-separated
    subject: Mapped[str] = mapped_column(String(300), default="")
    sent_at: Mapped[datetime | None]
    body_text: Mapped[str] = mapped_column(Text, default="")
    attachment_names: Mapped[str] = mapped_column(Text, default="")
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    received: Mapped[ReceivedMessage] = relationship(back_populates="triage")
