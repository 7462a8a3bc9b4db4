"""Letter templates staff wrote in Word, and each merge of one for many people (its files and its state)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.auth.models import User
from crm.campaigns.models import Campaign
from crm.extensions import db
from crm.outreach.models import Outreach
from crm.timeutil import utcnow


class LetterTemplate(db.Model):
    """A .docx with merge fields, for one campaign or (campaign_id None) for everyone; its file is under
    instance/letters/templates/, named by a random key."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))  # as uploaded
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int]
    fields: Mapped[str] = mapped_column(String(500), default="")  # the merge fields it names, comma-separated
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    campaign: Mapped[Campaign | None] = relationship()
    uploaded_by: Mapped[User | None] = relationship()


class MergeStatus(StrEnum):
    RUNNING = "running"  # being merged (by a job for a big one)
    DONE = "done"
    FAILED = "failed"


class LetterMerge(db.Model):
    """One template merged for many people: the zip of their letters, one document to print, a PDF when
    LibreOffice is installed, under instance/letters/merges/<stored_name>/; and who was left out and why."""

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int | None] = mapped_column(ForeignKey("letter_template.id", ondelete="SET NULL"), index=True)
    template_name: Mapped[str] = mapped_column(String(200))  # kept when the template is deleted
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id", ondelete="SET NULL"), index=True)
    letter_date: Mapped[date]
    fallback_language: Mapped[str] = mapped_column(String(8), default="en")
    # Who was chosen (JSON: the people list's filter, an outreach, ids), and whose letters the files hold
    # (JSON list of ids: erasure removes the files that hold a letter to the person it erases).
    source: Mapped[str] = mapped_column(Text, default="{}")
    person_ids: Mapped[str] = mapped_column(Text, default="[]")
    left_out: Mapped[str] = mapped_column(Text, default="[]")  # JSON [{"person_id": 3, "why": "no postal address"}]
    letters: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(20), default=MergeStatus.RUNNING)
    error: Mapped[str] = mapped_column(Text, default="")
    stored_name: Mapped[str] = mapped_column(String(64), default="")  # the folder; "" once its files are removed
    has_pdf: Mapped[bool] = mapped_column(default=False)
    pdf_note: Mapped[str] = mapped_column(String(300), default="")  # why there is no PDF
    log_outreach: Mapped[bool] = mapped_column(default=False)  # log it as an outreach entry when done
    outreach_id: Mapped[int | None] = mapped_column(ForeignKey("outreach.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    template: Mapped[LetterTemplate | None] = relationship()
    campaign: Mapped[Campaign | None] = relationship()
    outreach: Mapped[Outreach | None] = relationship()
    created_by: Mapped[User | None] = relationship()
