"""Erasure (the right to be forgotten): a person's data goes, what they took part in stays.

The person row stays as "Erased person", every personal field blank, so the outreach they were on
and the replies they gave still count in every campaign's totals. Their contact points, roles, tags,
external ids and places among campaigns' targets and supporters are deleted; their replies keep date,
channel and outcome but lose their words and files; their name and email are taken out of the outreach they were on and of the audit log. Not
undoable, by design: the erasure is confirmed first and audited (who, when, why), with no
personal data in its entry. Attachment files are removed after the commit (remove_files), so a
rolled-back erasure loses none."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import ColumnElement, delete, exists, func, select, update

from crm.audit import service as audit
from crm.audit.models import AuditEntry
from crm.auth.models import User
from crm.campaigns.members import remove_person
from crm.contacts.models import Person
from crm.contacts.people import get_person
from crm.contacts.tracking import touch
from crm.data_version import report_data_changed
from crm.errors import Conflict, InvalidInput
from crm.extensions import db
from crm.imports.models import ImportChange
from crm.letters.service import merges_writing_to
from crm.letters.storage import merge_files
from crm.mailbox.filing import triage_dir
from crm.mailbox.models import ReceivedMessage, TriageMessage, received_message_person
from crm.mailing.models import MailingRecipient
from crm.outreach.attachments import storage_dir
from crm.outreach.models import Attachment, Outreach, Participant, Response
from crm.privacy import redaction

ERASED_NAME = "Erased person"
ACTION = "erase"
REASON_LIMIT = 500
# Blanked on the person row: every column that says who they are or what we know of them.
BLANK_TEXT = ("honorific", "given_name", "patronymic", "native_name", "languages", "notes", "source", "search_text")


@dataclass
class Erasure:
    person_id: int
    counts: dict[str, int] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)  # to remove once the erasure is committed


@dataclass
class ErasurePreview:
    """What goes and what stays, for the confirmation page and `crm erase`."""

    person: Person
    contact_points: int
    roles: int
    replies: int
    attachments: int
    participations: int


def is_erased(person_id: int) -> bool:
    return bool(db.session.scalar(select(erased_condition(person_id))))


def erased_condition(person_id) -> ColumnElement[bool]:
    """The erasure's audit entry is the mark: it is never redacted or removed."""
    return exists().where(
        AuditEntry.entity_type == "person", AuditEntry.entity_id == person_id, AuditEntry.action == ACTION
    )


def preview(person_id: int) -> ErasurePreview:
    person = get_person(person_id)
    reply_ids = _reply_ids(person_id)
    return ErasurePreview(
        person=person,
        contact_points=len(person.emails) + len(person.phones) + len(person.addresses),
        roles=len(person.roles),
        replies=len(reply_ids),
        attachments=len(_attachments(reply_ids)),
        participations=db.session.scalar(
            select(func.count()).select_from(Participant).where(Participant.person_id == person_id)
        ),
    )


def clean_reason(reason: str | None, mentions: list[str]) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidInput("Say why the person is erased (a request, the retention review …).", "reason")
    if len(reason) > REASON_LIMIT:
        raise InvalidInput(f"At most {REASON_LIMIT} characters.", "reason")
    found = redaction.pattern(mentions)
    if found is not None and found.search(reason):
        raise InvalidInput(
            "The reason stays in the audit log: leave out the person's name and email address.", "reason"
        )
    return reason


def erase_person(person_id: int, reason: str, *, actor: User | None) -> Erasure:
    """Erase the person (NotFound, Conflict when already erased, InvalidInput for the reason); flushes."""
    person = get_person(person_id)
    if is_erased(person_id):
        raise Conflict(f"Person #{person_id} was erased already.")
    own_entries = audit.history("person", person_id)
    mentions = redaction.needles(
        [person.formal_name, person.display_name, person.native_name],
        [email.address for email in person.emails] + sorted(redaction.emails_in_history(own_entries)),
    )
    # The reason may not name them even in part; elsewhere only whole names are taken out, as a
    # family name alone may well be someone else's.
    parts = [person.given_name, person.family_name, person.patronymic, *person.native_name.split()]
    reason = clean_reason(reason, redaction.needles([*mentions, *parts], []))
    erasure = Erasure(person_id)
    found = redaction.pattern(mentions)
    reply_ids = _reply_ids(person_id)
    erasure.counts["attachments deleted"] = _delete_attachments(reply_ids, erasure)
    erasure.counts["letters deleted"] = _delete_letters(person_id, erasure)
    erasure.counts["replies blanked"] = _blank_replies(reply_ids)
    erasure.counts["outreach texts redacted"] = _redact_outreach(person_id, found)
    erasure.counts["received emails removed"] = _delete_received(person_id, [e.address for e in person.emails], erasure)
    erasure.counts["contact points deleted"] = len(person.emails) + len(person.phones) + len(person.addresses)
    erasure.counts["roles deleted"] = len(person.roles)
    erasure.counts["campaign memberships deleted"] = remove_person(person_id)
    erasure.counts["addresses of sent emails blanked"] = _blank_mailing_addresses(person_id)
    _blank_person(person, actor)
    # Undo of the import that brought them in must neither restore their data nor delete the row.
    db.session.execute(
        delete(ImportChange).where(ImportChange.entity_type == "person", ImportChange.entity_id == person_id)
    )
    db.session.flush()
    report_data_changed()  # their name leaves the reports; their participation stays counted
    erasure.counts["own audit entries blanked"] = redaction.redact_own_entries("person", person_id)
    erasure.counts["other audit entries redacted"] = redaction.redact_mentions(mentions, skip=("person", person_id))
    audit.record(
        "person",
        person_id,
        ACTION,
        {"reason": [None, reason], "removed": [None, ", ".join(f"{n} {what}" for what, n in erasure.counts.items())]},
        actor=actor,
        version=person.version,
    )
    db.session.flush()
    return erasure


def remove_files(erasure: Erasure) -> None:
    for path in erasure.files:
        path.unlink(missing_ok=True)


def _reply_ids(person_id: int) -> list[int]:
    return list(db.session.scalars(select(Response.id).where(Response.person_id == person_id)))


def _attachments(reply_ids: list[int]) -> list[Attachment]:
    if not reply_ids:
        return []
    return list(db.session.scalars(select(Attachment).where(Attachment.response_id.in_(reply_ids))))


def _delete_attachments(reply_ids: list[int], erasure: Erasure) -> int:
    attachments = _attachments(reply_ids)
    folder = storage_dir()
    for attachment in attachments:
        erasure.files.append(folder / attachment.stored_name)
        db.session.delete(attachment)
    return len(attachments)


def _delete_letters(person_id: int, erasure: Erasure) -> int:
    """The letters merged for them: attached to their participations, and in the files of the merges that
    wrote to them (those files go whole; the merge's record keeps its counts)."""
    letters = list(
        db.session.scalars(
            select(Attachment)
            .join(Participant, Attachment.participant_id == Participant.id)
            .where(Participant.person_id == person_id)
        )
    )
    folder = storage_dir()
    for attachment in letters:
        erasure.files.append(folder / attachment.stored_name)
        db.session.delete(attachment)
    for merge in merges_writing_to(person_id):
        erasure.files.extend(merge_files(merge))
        merge.stored_name = ""
    return len(letters)


def _blank_replies(reply_ids: list[int]) -> int:
    """Date, channel and outcome stay (the campaign figures count them); their words go."""
    for reply in db.session.scalars(select(Response).where(Response.id.in_(reply_ids))) if reply_ids else []:
        reply.summary, reply.action_taken, reply.url = "", "", ""
    return len(reply_ids)


def _redact_outreach(person_id: int, found) -> int:
    """The outreach they were on or answered keeps its subject and summary, without their name or email."""
    if found is None:
        return 0
    on_it = select(Participant.outreach_id).where(Participant.person_id == person_id)
    answered = select(Response.outreach_id).where(Response.person_id == person_id)
    changed = 0
    for outreach in db.session.scalars(select(Outreach).where(Outreach.id.in_(on_it.union(answered)))):
        subject, summary = (
            redaction.redact_text(outreach.subject, found),
            redaction.redact_text(outreach.summary, found),
        )
        if (subject, summary) != (outreach.subject, outreach.summary):
            outreach.subject, outreach.summary = subject, summary
            changed += 1
    return changed


def _blank_mailing_addresses(person_id: int) -> int:
    """The address each email from the CRM went to, and the server's answer that may quote it."""
    result = db.session.execute(
        update(MailingRecipient)
        .where(MailingRecipient.person_id == person_id)
        .values(address="", error="")
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def _delete_received(person_id: int, addresses: list[str], erasure: Erasure) -> int:
    """The emails that named them (filed or on the triage list) go, with the files kept for triage;
    what they were filed as (a reply, an outreach entry) is handled above like any other."""
    named = select(received_message_person.c.received_message_id).where(
        received_message_person.c.person_id == person_id
    )
    condition = ReceivedMessage.id.in_(named)
    if addresses:
        lowered = [a.lower() for a in addresses]
        sent_by = select(TriageMessage.received_message_id).where(TriageMessage.from_address.in_(lowered))
        condition = condition | ReceivedMessage.id.in_(sent_by) | ReceivedMessage.from_address.in_(lowered)
    received = list(db.session.scalars(select(ReceivedMessage).where(condition)))
    folder = triage_dir()
    for message in received:
        if message.triage is not None:
            erasure.files.append(folder / message.triage.stored_name)
        db.session.delete(message)
    return len(received)


def _blank_person(person: Person, actor: User | None) -> None:
    with db.session.no_autoflush:
        for name in BLANK_TEXT:
            setattr(person, name, "")
        person.family_name = ERASED_NAME
        person.sort_key = ""
        person.country = None
        person.category = None
        person.tags = []
        person.emails, person.phones, person.addresses = [], [], []
        person.roles = []
        person.external_ids = []
        person.archived = True  # out of lists, searches and the duplicate finder
        person.import_run_id = None
    touch(person, actor)
