"""Outreach entries, their participants, the responses and attachments."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.auth.models import User
from crm.campaigns.models import Campaign
from crm.contacts.models import Organisation, Person
from crm.extensions import db
from crm.taxonomy.models import OutreachKind, ResponseOutcome
from crm.timeutil import utcnow

OUTREACH_STATUSES = {
    "draft": "Draft",
    "sent": "Sent",
    "awaiting": "Awaiting reply",
    "answered": "Answered",
    "closed": "Closed",
}
PARTICIPANT_ROLES = {
    "from": "From / author",
    "to": "To / recipient",
    "signatory": "Signatory",
    "cc": "Cc",
    "attendee": "Attendee",
}
# Only recipients owe us an answer.
REPLY_ROLES = ("to",)
REPLY_STATES = {"awaiting": "Awaiting reply", "replied": "Replied", "none": "No reply expected", "closed": "Closed"}
CHANNELS = {
    "letter": "Letter",
    "email": "Email",
    "meeting": "Meeting",
    "call": "Call",
    "written_answer": "Written answer",
    "public_statement": "Public statement",
    "other": "Other",
}


class Outreach(db.Model):
    """One ask or action: a letter to 17 MEPs, a declaration 26 deputies signed, a meeting."""

    __table_args__ = (
        Index("ix_outreach_open_follow_up", "status", "follow_up_on"),
        # A campaign's outreach newest first (supporters to mobilise, timelines).
        Index("ix_outreach_campaign_sent", "campaign_id", "sent_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    kind_id: Mapped[int] = mapped_column(ForeignKey("outreach_kind.id"), index=True)
    sent_on: Mapped[date | None] = mapped_column(index=True)
    subject: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id"), index=True)
    reference: Mapped[str] = mapped_column(String(120), default="")  # EP question E-2017-007094, declaration No. …
    url: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(20), default="sent")
    follow_up_on: Mapped[date | None]
    # Snoozed from the queues (crm.outreach.my_queue) until this day; the follow-up date itself stays.
    follow_up_snoozed_until: Mapped[date | None]
    # A meeting or a call logged with its time (naive UTC) and place; the calendar shows it as a timed event.
    starts_at: Mapped[datetime | None] = mapped_column(index=True)
    ends_at: Mapped[datetime | None]
    location: Mapped[str] = mapped_column(String(300), default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    # A chain: this outreach is the action a response reported (the MEP's letter to the Commission).
    prompted_by_response_id: Mapped[int | None] = mapped_column(
        ForeignKey("response.id", use_alter=True, ondelete="SET NULL"), index=True
    )
    # Kept up to date by the services so lists and reports need no count over participants.
    recipient_count: Mapped[int] = mapped_column(default=0)
    replied_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    kind: Mapped[OutreachKind] = relationship()
    campaign: Mapped[Campaign | None] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    participants: Mapped[list[Participant]] = relationship(
        back_populates="outreach", cascade="all, delete-orphan", order_by="Participant.id"
    )
    responses: Mapped[list[Response]] = relationship(
        back_populates="outreach",
        cascade="all, delete-orphan",
        order_by="Response.received_on, Response.id",
        foreign_keys="Response.outreach_id",
    )
    prompted_by: Mapped[Response | None] = relationship(foreign_keys=[prompted_by_response_id], back_populates="led_to")
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="outreach", cascade="all, delete-orphan", foreign_keys="Attachment.outreach_id"
    )

    @property
    def status_label(self) -> str:
        return OUTREACH_STATUSES.get(self.status, self.status)


class Participant(db.Model):
    """A person or organisation on an outreach, in a role; recipients carry their own reply state."""

    __table_args__ = (
        CheckConstraint("(person_id IS NULL) <> (organisation_id IS NULL)", name="one_party"),
        UniqueConstraint("outreach_id", "person_id", "organisation_id", "role", name="once_per_role"),
        # The awaiting-reply queue: recipients still owing an answer, oldest due first; the id
        # breaks ties in index order, so PostgreSQL needs no sort of same-day entries.
        Index("ix_participant_queue", "reply_state", "reply_due_on", "id"),
        # A contact's reply rate counted, and their newest entries picked, from the index alone, with no
        # table read per entry (an MEP is on thousands; the person page pages them by outreach_id's date
        # and reads only the page's rows). Its first column serves every other lookup by person too.
        Index("ix_participant_person_history", "person_id", "role", "reply_state", "outreach_id", "id"),
        # The campaign reports read an entry's recipients (and signatories) from the index alone: a table
        # row per recipient cost more than the report's grouping. Its first column serves every lookup by
        # entry, so outreach_id needs no index of its own.
        Index("ix_participant_outreach_report", "outreach_id", "role", "person_id", "organisation_id", "replied_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    outreach_id: Mapped[int] = mapped_column(ForeignKey("outreach.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    reply_state: Mapped[str] = mapped_column(String(20), default="none")
    reply_due_on: Mapped[date | None]
    replied_on: Mapped[date | None]
    # Their overdue reply is snoozed out of the queues until this day (crm.outreach.my_queue).
    snoozed_until: Mapped[date | None]
    # The day staff stopped waiting for this recipient's reply (crm.outreach.waiting): editing the entry or
    # removing a reply recorded by mistake leaves them closed, not awaiting again; a reply still counts.
    stopped_waiting_on: Mapped[date | None]
    # The Message-ID of the email sent to this recipient from the CRM: a reply naming it in
    # In-Reply-To or References is filed onto this participation.
    message_id: Mapped[str | None] = mapped_column(String(250), index=True)
    # The email sent to them from the CRM never arrived (crm.mailing): nobody owes a reply to it.
    undelivered: Mapped[bool] = mapped_column(default=False, server_default=false())

    outreach: Mapped[Outreach] = relationship(back_populates="participants")
    person: Mapped[Person | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()

    @property
    def party_name(self) -> str:
        if self.person is not None:
            return self.person.display_name
        return self.organisation.name if self.organisation else ""

    @property
    def role_label(self) -> str:
        return PARTICIPANT_ROLES.get(self.role, self.role)


class Response(db.Model):
    """An answer to one outreach, from a person or an organisation."""

    __table_args__ = (
        CheckConstraint("(person_id IS NOT NULL) OR (organisation_id IS NOT NULL)", name="has_party"),
        Index("ix_response_recent", "received_on", "id"),  # recent replies, newest first
        # A campaign's replies newest first (supporters to mobilise): through the outreach entries that meant
        # sorting every reply of a big campaign, and scanning the newest replies of all campaigns took long for
        # a small one.
        Index("ix_response_campaign_recent", "campaign_id", "received_on", "id"),
        # A contact's replies newest first (their page): PostgreSQL otherwise hashed every outreach entry
        # to join an MEP's 200 replies. The first columns serve every other lookup by party.
        Index("ix_response_person_recent", "person_id", "received_on", "id"),
        Index("ix_response_organisation_recent", "organisation_id", "received_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    outreach_id: Mapped[int] = mapped_column(ForeignKey("outreach.id", ondelete="CASCADE"), index=True)
    # The outreach entry's campaign, copied by record_response and update_outreach for the index above.
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    received_on: Mapped[date]
    channel: Mapped[str] = mapped_column(String(30), default="letter")
    summary: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    outcome_id: Mapped[int | None] = mapped_column(ForeignKey("response_outcome.id"), index=True)
    action_taken: Mapped[str] = mapped_column(Text, default="")
    follow_up_on: Mapped[date | None] = mapped_column(index=True)
    follow_up_snoozed_until: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    outreach: Mapped[Outreach] = relationship(back_populates="responses", foreign_keys=[outreach_id])
    person: Mapped[Person | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    outcome: Mapped[ResponseOutcome | None] = relationship()
    led_to: Mapped[list[Outreach]] = relationship(
        back_populates="prompted_by", foreign_keys="Outreach.prompted_by_response_id"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="response", cascade="all, delete-orphan", foreign_keys="Attachment.response_id"
    )

    @property
    def party_name(self) -> str:
        if self.person is not None:
            return self.person.display_name
        return self.organisation.name if self.organisation else ""

    @property
    def channel_label(self) -> str:
        return CHANNELS.get(self.channel, self.channel)


class Attachment(db.Model):
    """A file stored under instance/attachments/, named by a random key."""

    __table_args__ = (CheckConstraint("(outreach_id IS NULL) <> (response_id IS NULL)", name="one_owner"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    outreach_id: Mapped[int | None] = mapped_column(ForeignKey("outreach.id", ondelete="CASCADE"), index=True)
    response_id: Mapped[int | None] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"), index=True)
    # The one recipient a file on an outreach entry was for (their merged letter); it stays on the entry
    # if they are taken off it.
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    outreach: Mapped[Outreach | None] = relationship(back_populates="attachments", foreign_keys=[outreach_id])
    response: Mapped[Response | None] = relationship(back_populates="attachments", foreign_keys=[response_id])
    participant: Mapped[Participant | None] = relationship()
