"""A campaign (case), what it asks of whom, and its dated milestones."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.auth.models import User
from crm.contacts.models import Person
from crm.extensions import db
from crm.timeutil import utcnow

CAMPAIGN_STATUSES = {"active": "Active", "on_hold": "On hold", "won": "Won", "closed": "Closed"}
ASK_STATUSES = {"open": "Open", "achieved": "Achieved", "dropped": "Dropped"}
# Whom a campaign means to win over, and who is on its side by name (besides what outreach shows).
MEMBER_ROLES = {"target": "Targets", "supporter": "Supporters"}

campaign_owner = Table(
    "campaign_owner",
    db.metadata,
    Column("campaign_id", ForeignKey("campaign.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Campaign(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    name: Mapped[str] = mapped_column(String(200), unique=True)
    # Often the political prisoner the case is about.
    subject_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="active", index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    subject: Mapped[Person | None] = relationship()
    owners: Mapped[list[User]] = relationship(secondary=campaign_owner, order_by=User.email)
    asks: Mapped[list[Ask]] = relationship(
        back_populates="campaign", cascade="all, delete-orphan", order_by="Ask.position, Ask.id"
    )
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="campaign", cascade="all, delete-orphan", order_by="Milestone.on, Milestone.id"
    )

    @property
    def status_label(self) -> str:
        return CAMPAIGN_STATUSES.get(self.status, self.status)


class Ask(db.Model):
    """What the campaign wants, of whom: "MEPs write to the Commission"."""

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    of_whom: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(20), default="open")
    note: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    campaign: Mapped[Campaign] = relationship(back_populates="asks")

    @property
    def status_label(self) -> str:
        return ASK_STATUSES.get(self.status, self.status)


class Milestone(db.Model):
    """A dated event of the case: arrest, verdict, UN decision, a hearing to mobilise for."""

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    on: Mapped[date] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(500), default="")

    campaign: Mapped[Campaign] = relationship(back_populates="milestones")


class CampaignMember(db.Model):
    """A person named as one of the campaign's targets (the deputies it lobbies) or supporters.

    Supporters are also worked out from outreach (crm.campaigns.support); these are the ones staff
    name themselves. A bulk action on the people list records itself as `bulk_action_id` (a plain
    id: the selections feature comes later), so its undo removes exactly the memberships it added."""

    __table_args__ = (
        CheckConstraint("role IN ('target', 'supporter')", name="known_role"),
        UniqueConstraint("campaign_id", "person_id", "role", name="uq_campaign_member_once_per_role"),
        # The campaign page's targets and supporters; the unique constraint serves lookups by person within one.
        Index("ix_campaign_member_campaign_role", "campaign_id", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    # A person's campaigns (their page), and the merge and erasure, which move or remove theirs.
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(300), default="")
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    bulk_action_id: Mapped[int | None]

    campaign: Mapped[Campaign] = relationship()
    person: Mapped[Person] = relationship()
    added_by: Mapped[User | None] = relationship()

    @property
    def role_label(self) -> str:
        return "target" if self.role == "target" else "supporter"
