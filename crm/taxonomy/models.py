"""Admin-editable vocabularies: person categories, organisation types, tags."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from crm.extensions import db


class Category(db.Model):
    """What kind of contact a person is: MEP, PACE deputy, journalist ..."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    description: Mapped[str] = mapped_column(String(300), default="")
    # Stable code of a built-in category, so a renamed default is not added again.
    code: Mapped[str | None] = mapped_column(String(40), unique=True)
    position: Mapped[int] = mapped_column(default=0)


class OrganisationType(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    # Stable code for the few types the product reasons about (political group
    # filter, parliaments); admins may rename the label freely.
    code: Mapped[str | None] = mapped_column(String(40), unique=True)
    position: Mapped[int] = mapped_column(default=0)


class Tag(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    # Case-folded name: "Urgent" and "urgent" are one tag.
    key: Mapped[str] = mapped_column(String(60), unique=True)


person_tag = Table(
    "person_tag",
    db.metadata,
    Column("person_id", ForeignKey("person.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True, index=True),
)

organisation_tag = Table(
    "organisation_tag",
    db.metadata,
    Column("organisation_id", ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class OutreachKind(db.Model):
    """Letter, email, meeting, written question, declaration …; how long a reply may take."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    code: Mapped[str | None] = mapped_column(String(40), unique=True)
    # A recipient who has not answered after this many days is "awaiting reply".
    reply_after_days: Mapped[int] = mapped_column(default=21)
    position: Mapped[int] = mapped_column(default=0)


OUTCOME_EFFECTS = {
    "acted": "Acted",
    "committed": "Committed to act",
    "acknowledged": "Acknowledged only",
    "declined": "Declined",
    "hostile": "Hostile",
    "other": "Other",
}


class ResponseOutcome(db.Model):
    """What a reply amounted to; `effect` is the fixed class reports count by."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    code: Mapped[str | None] = mapped_column(String(40), unique=True)
    effect: Mapped[str] = mapped_column(String(20), default="other")
    position: Mapped[int] = mapped_column(default=0)
