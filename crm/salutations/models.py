"""How to greet someone, per language, honorific and (optionally) category: "Sehr geehrter Herr Abgeordneter …"."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.extensions import db
from crm.taxonomy.models import Category
from crm.timeutil import utcnow


class Salutation(db.Model):
    __table_args__ = (UniqueConstraint("language", "honorific", "category_id", name="one_form"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    language: Mapped[str] = mapped_column(String(8))  # ISO 639-1, as Person.languages holds them
    honorific: Mapped[str] = mapped_column(String(40), default="")  # a key of crm.salutations.service; "": none
    # Narrows the form to one category (MEPs: "Monsieur le Député"); None: anyone of that language and honorific.
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(300))  # merge fields: crm.salutations.service.SALUTATION_FIELDS
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    category: Mapped[Category | None] = relationship()
