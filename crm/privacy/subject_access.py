"""Subject access: everything the CRM holds about one person, gathered into sections of rows.

One gathering, three shapes (crm.privacy.subject_access_files): a workbook with a sheet per
section, a JSON file, and a zip holding both with the attachment files."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from crm.audit import service as audit
from crm.auth.models import User
from crm.campaigns.members import person_campaigns
from crm.campaigns.models import Campaign
from crm.contacts.models import LAWFUL_BASES, Person
from crm.contacts.person_page import get_person_page
from crm.extensions import db
from crm.outreach.attachments import storage_dir
from crm.outreach.models import CHANNELS, PARTICIPANT_ROLES, REPLY_STATES, Attachment, Outreach, Participant, Response
from crm.spreadsheets.table import DATE, NUMBER, TEXT, Column, Table
from crm.taxonomy.models import OutreachKind
from crm.timeutil import utcnow
from crm.values import country_name, language_names


@dataclass(frozen=True)
class Field:
    key: str  # in the JSON file
    column: Column  # in the workbook


def _fields(*specs: tuple[str, str, str, int]) -> tuple[Field, ...]:
    return tuple(Field(key, Column(label, kind, width)) for key, label, kind, width in specs)


# The sections in their order: (JSON key, sheet name, fields).
SECTIONS = {
    "person": ("Person", _fields(("field", "Field", TEXT, 24), ("value", "Value", TEXT, 60))),
    "contact_points": (
        "Contact points",
        _fields(
            ("kind", "Kind", TEXT, 10),
            ("label", "Label", TEXT, 16),
            ("value", "Value", TEXT, 50),
            ("primary", "Primary", TEXT, 8),
        ),
    ),
    "roles": (
        "Roles",
        _fields(
            ("organisation", "Organisation", TEXT, 40),
            ("title", "Title", TEXT, 30),
            ("starts_on", "From", DATE, 12),
            ("ends_on", "Until", DATE, 12),
            ("note", "Note", TEXT, 30),
            ("source", "Source", TEXT, 14),
        ),
    ),
    "campaigns": (
        "Campaigns",
        _fields(
            ("campaign", "Campaign", TEXT, 40),
            ("role", "As", TEXT, 12),
            ("note", "Note", TEXT, 40),
            ("added_at", "Added at (UTC)", DATE, 18),
        ),
    ),
    "outreach": (
        "Outreach",
        _fields(
            ("outreach_id", "Outreach id", NUMBER, 11),
            ("sent_on", "Sent on", DATE, 12),
            ("kind", "Kind", TEXT, 16),
            ("subject", "Subject", TEXT, 50),
            ("campaign", "Campaign", TEXT, 30),
            ("role", "Role", TEXT, 16),
            ("reply_state", "Reply", TEXT, 16),
            ("reply_due_on", "Reply due", DATE, 12),
            ("replied_on", "Replied on", DATE, 12),
        ),
    ),
    "replies": (
        "Replies",
        _fields(
            ("reply_id", "Reply id", NUMBER, 9),
            ("outreach_id", "Outreach id", NUMBER, 11),
            ("outreach_subject", "To the outreach", TEXT, 40),
            ("received_on", "Received on", DATE, 12),
            ("channel", "Channel", TEXT, 14),
            ("outcome", "Outcome", TEXT, 20),
            ("summary", "Summary", TEXT, 60),
            ("action_taken", "Action taken", TEXT, 40),
            ("url", "Link", TEXT, 30),
        ),
    ),
    "attachments": (
        "Attachments",
        _fields(
            ("attachment_id", "Attachment id", NUMBER, 13),
            ("reply_id", "Reply id", NUMBER, 9),
            ("filename", "File name", TEXT, 40),
            ("content_type", "Type", TEXT, 30),
            ("size", "Bytes", NUMBER, 10),
            ("uploaded_at", "Uploaded at (UTC)", DATE, 18),
            ("in_zip", "In the zip as", TEXT, 40),
        ),
    ),
    "history": (
        "History",
        _fields(
            ("entry_id", "Entry", NUMBER, 8),
            ("at", "At (UTC)", DATE, 18),
            ("staff_member", "Staff member", TEXT, 24),
            ("action", "Action", TEXT, 16),
            ("field", "Field", TEXT, 20),
            ("before", "Before", TEXT, 40),
            ("after", "After", TEXT, 40),
        ),
    ),
}


@dataclass
class SubjectAccess:
    person_id: int
    generated_at: datetime
    sections: dict[str, list[dict[str, Any]]]
    files: list[tuple[str, Path]] = field(default_factory=list)  # (name in the zip, stored file)

    def tables(self) -> list[Table]:
        return [
            Table(
                sheet,
                tuple(f.column for f in fields),
                [tuple(row[f.key] for f in fields) for row in self.sections[key]],
            )
            for key, (sheet, fields) in SECTIONS.items()
        ]

    def as_json(self) -> dict[str, Any]:
        return {
            "person_id": self.person_id,
            "generated_at": self.generated_at.isoformat(timespec="seconds") + "Z",
            **{
                key: [{k: _json_value(v) for k, v in row.items()} for row in rows]
                for key, rows in self.sections.items()
            },
        }


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def gather(person_id: int) -> SubjectAccess:
    """Everything about the person (NotFound for an unknown id)."""
    person = get_person_page(person_id)
    replies = _replies(person_id)
    attachments = _attachments([reply.id for reply in replies])
    return SubjectAccess(
        person_id=person.id,
        generated_at=utcnow(),
        sections={
            "person": _person_rows(person),
            "contact_points": _contact_point_rows(person),
            "roles": [
                {
                    "organisation": role.organisation.name,
                    "title": role.title,
                    "starts_on": role.starts_on,
                    "ends_on": role.ends_on,
                    "note": role.note,
                    "source": role.source,
                }
                for role in sorted(person.roles, key=lambda r: r.sort_value())
            ],
            "campaigns": [
                {
                    "campaign": member.campaign.name,
                    "role": member.role_label,
                    "note": member.note,
                    "added_at": member.added_at,
                }
                for member in person_campaigns(person_id)
            ],
            "outreach": _outreach_rows(person_id),
            "replies": [_reply_row(reply) for reply in replies],
            "attachments": [_attachment_row(attachment, name) for attachment, name, _ in attachments],
            "history": _history_rows(person_id),
        },
        files=[(name, path) for _, name, path in attachments],
    )


def _person_rows(person: Person) -> list[dict[str, Any]]:
    values = {
        "Id": str(person.id),
        "Honorific": person.honorific,
        "Given name": person.given_name,
        "Patronymic": person.patronymic,
        "Family name": person.family_name,
        "Name in native script": person.native_name,
        "Country": country_name(person.country),
        "Languages": language_names(person.languages),
        "Category": person.category.name if person.category else "",
        "Tags": ", ".join(tag.name for tag in person.tags),
        "External ids": ", ".join(f"{e.scheme}: {e.value}" for e in person.external_ids),
        "Notes": person.notes,
        "Source": person.source,
        "Lawful basis": LAWFUL_BASES.get(person.lawful_basis, person.lawful_basis),
        "Archived": "yes" if person.archived else "no",
        "Added (UTC)": person.created_at.isoformat(sep=" ", timespec="minutes"),
        "Last changed (UTC)": person.updated_at.isoformat(sep=" ", timespec="minutes"),
    }
    return [{"field": name, "value": value} for name, value in values.items()]


def _contact_point_rows(person: Person) -> list[dict[str, Any]]:
    points = [("email", e, e.address) for e in person.emails]
    points += [("phone", p, p.number) for p in person.phones]
    points += [("address", a, a.one_line) for a in person.addresses]
    return [
        {"kind": kind, "label": point.label, "value": value, "primary": "yes" if point.is_primary else "no"}
        for kind, point, value in points
    ]


def _outreach_rows(person_id: int) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(Participant, Outreach.sent_on, OutreachKind.name, Outreach.subject, Campaign.name)
        .join(Outreach, Participant.outreach_id == Outreach.id)
        .join(OutreachKind, Outreach.kind_id == OutreachKind.id)
        .outerjoin(Campaign, Outreach.campaign_id == Campaign.id)
        .where(Participant.person_id == person_id)
        .order_by(Outreach.sent_on, Outreach.id, Participant.id)
    )
    return [
        {
            "outreach_id": participant.outreach_id,
            "sent_on": sent_on,
            "kind": kind,
            "subject": subject,
            "campaign": campaign or "",
            "role": PARTICIPANT_ROLES.get(participant.role, participant.role),
            "reply_state": REPLY_STATES.get(participant.reply_state, participant.reply_state),
            "reply_due_on": participant.reply_due_on,
            "replied_on": participant.replied_on,
        }
        for participant, sent_on, kind, subject, campaign in rows
    ]


def _replies(person_id: int) -> list[Response]:
    return list(
        db.session.scalars(
            select(Response)
            .where(Response.person_id == person_id)
            .options(joinedload(Response.outreach), joinedload(Response.outcome))
            .order_by(Response.received_on, Response.id)
        )
    )


def _reply_row(reply: Response) -> dict[str, Any]:
    return {
        "reply_id": reply.id,
        "outreach_id": reply.outreach_id,
        "outreach_subject": reply.outreach.subject,
        "received_on": reply.received_on,
        "channel": CHANNELS.get(reply.channel, reply.channel),
        "outcome": reply.outcome.name if reply.outcome else "",
        "summary": reply.summary,
        "action_taken": reply.action_taken,
        "url": reply.url,
    }


def _attachments(reply_ids: list[int]) -> list[tuple[Attachment, str, Path]]:
    """The files of the person's replies, each with its name in the zip (unique: the id leads)."""
    if not reply_ids:
        return []
    attachments = db.session.scalars(
        select(Attachment).where(Attachment.response_id.in_(reply_ids)).order_by(Attachment.id)
    )
    folder = storage_dir()
    return [(a, f"attachments/{a.id}-{a.filename}", folder / a.stored_name) for a in attachments]


def _attachment_row(attachment: Attachment, name: str) -> dict[str, Any]:
    return {
        "attachment_id": attachment.id,
        "reply_id": attachment.response_id,
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "uploaded_at": attachment.uploaded_at,
        "in_zip": name,
    }


def _history_rows(person_id: int) -> list[dict[str, Any]]:
    rows = []
    for entry in reversed(audit.history("person", person_id)):  # oldest first, as a record is read
        staff = _label(entry.actor)
        for name, values in sorted((entry.changes or {}).items()) or [("", [None, None])]:
            before, after = (list(values) + [None, None])[:2] if isinstance(values, list) else (None, values)
            rows.append(
                {
                    "entry_id": entry.id,
                    "at": entry.at,
                    "staff_member": staff,
                    "action": entry.action,
                    "field": name,
                    "before": _text(before),
                    "after": _text(after),
                }
            )
    return rows


def _label(user: User | None) -> str:
    return user.label if user else "system"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_text(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_text(item)}" for key, item in value.items())
    return str(value)


def record_subject_access(person_id: int, fmt: str, *, actor: User | None, via: str) -> None:
    """Handing out everything about a person is itself in their history: who, when, how."""
    audit.record("person", person_id, "subject access", {"format": [None, fmt], "via": [None, via]}, actor=actor)
