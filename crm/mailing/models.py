"""An email sent from the CRM to many people, one message each, and how each recipient's message went."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.auth.models import User
from crm.contacts.models import Person
from crm.extensions import db
from crm.outreach.models import Outreach, Participant
from crm.timeutil import utcnow


class MailingStatus(StrEnum):
    SENDING = "sending"  # a job is sending (or will send) its pending messages
    DONE = "done"  # every message was sent or failed for good


class RecipientStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # refused for good (5xx) or still failing after every attempt; staff may retry


class Mailing(db.Model):
    """One email to many people, logged as one email outreach entry whose recipients they are."""

    id: Mapped[int] = mapped_column(primary_key=True)
    outreach_id: Mapped[int] = mapped_column(ForeignKey("outreach.id", ondelete="CASCADE"), index=True)
    # The templates as written, merge fields and all: each message is rendered from them when it is sent.
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    sender: Mapped[str] = mapped_column(String(254))
    transport: Mapped[str] = mapped_column(String(10))  # "smtp", or "outbox": .eml files under instance/outbox
    status: Mapped[str] = mapped_column(String(20), default=MailingStatus.SENDING)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    finished_at: Mapped[datetime | None]

    outreach: Mapped[Outreach] = relationship()
    created_by: Mapped[User | None] = relationship()
    recipients: Mapped[list[MailingRecipient]] = relationship(
        back_populates="mailing", cascade="all, delete-orphan", order_by="MailingRecipient.id"
    )


class MailingRecipient(db.Model):
    __table_args__ = (Index("ix_mailing_recipient_status", "mailing_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mailing_id: Mapped[int] = mapped_column(ForeignKey("mailing.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"), index=True)
    address: Mapped[str] = mapped_column(String(254))
    status: Mapped[str] = mapped_column(String(20), default=RecipientStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(Text, default="")  # the server's reason, as it gave it
    # Made once, so a retried message is the same message to the recipient's server and to threading.
    message_id: Mapped[str] = mapped_column(String(250))
    sent_at: Mapped[datetime | None]

    mailing: Mapped[Mailing] = relationship(back_populates="recipients")
    person: Mapped[Person] = relationship()
    participant: Mapped[Participant | None] = relationship()
