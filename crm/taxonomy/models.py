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
