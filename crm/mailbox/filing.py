"""Filing one message: a reply to one of ours, an email staff sent to contacts, or the triage list.

The steps, in order: read the file (NotAnEmail before anything is written) → the same message
again is a duplicate → match the addresses → find what it answers → record it through the outreach
services. `file_message` owns its transaction, one per message, as `run_import` does: a message is
filed whole or not at all, its attachment files included."""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from crm.audit import service as audit
from crm.auth.models import User
from crm.errors import DomainError, InvalidInput
from crm.extensions import db
from crm.mailbox import matching
from crm.mailbox.models import Filed, ReceivedMessage, TriageMessage
from crm.mailbox.parse import Address, ParsedEmail, header_address, normalise_subject, read_email
from crm.mailbox.quoting import written_above_quote
from crm.outreach import attachments
from crm.outreach.data import OutreachData, ParticipantData, ResponseData
from crm.outreach.models import Outreach, Participant
from crm.outreach.responses import record_response
from crm.outreach.service import create_outreach, get_outreach
from crm.taxonomy.service import kind_by_code
from crm.timeutil import today

DUPLICATE = "duplicate"


@dataclass
class Context:
    """Where a file was dropped: a message no rule files goes there instead of the triage list."""

    person_id: int | None = None
    outreach_id: int | None = None


@dataclass
class FilingResult:
    status: str  # reply, outreach, triage, duplicate
    outreach_id: int | None = None
    response_id: int | None = None
    people: list[int] = field(default_factory=list)
    triage_id: int | None = None
    notes: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)  # files to remove if the transaction rolls back

    def as_json(self) -> dict:
        return {
            "status": self.status,
            "outreach_id": self.outreach_id,
            "response_id": self.response_id,
            "people": self.people,
        }

    @property
    def summary(self) -> str:
        what = {
            "reply": "Filed as a reply",
            "outreach": "Filed as an email outreach entry",
            "triage": "Put on the triage list",
            DUPLICATE: "Already filed (the same message came before)",
        }[self.status]
        return what + "".join(f" {note}" for note in self.notes)


def file_message(
    raw: bytes, *, filename: str = "", origin: str, actor: User | None, context: Context | None = None
) -> FilingResult:
    """Read and file one message and commit; NotAnEmail for a file that is not one, nothing written."""
    parsed = read_email(raw, filename)
    written: list[Path] = []  # the files it keeps, removed again should the filing fail
    try:
        result = file_parsed(parsed, origin=origin, actor=actor, context=context or Context(), written=written)
        db.session.commit()
    except IntegrityError:
        # The same message filed at this moment by another worker: theirs counts.
        db.session.rollback()
        _discard(written)
        existing = find_received(parsed.key)
        if existing is None:
            raise
        return _duplicate(existing)
    except BaseException:
        db.session.rollback()
        _discard(written)
        raise
    return result


def record_failure(raw: bytes, reason: str, *, origin: str, key: str | None = None) -> None:
    """A message that could not be filed is remembered as failed, with why; it is tried again if it comes again."""
    import hashlib

    key = key or "sha256:" + hashlib.sha256(raw).hexdigest()
    existing = find_received(key)
    if existing is not None and existing.status != Filed.FAILED:
        return
    if existing is None:
        existing = ReceivedMessage(message_key=key, origin=origin, status=Filed.FAILED)
        db.session.add(existing)
    existing.notes = reason[:2000]
    db.session.commit()


def _discard(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def find_received(key: str) -> ReceivedMessage | None:
    return db.session.scalar(select(ReceivedMessage).where(ReceivedMessage.message_key == key))


def _duplicate(existing: ReceivedMessage) -> FilingResult:
    return FilingResult(
        DUPLICATE, existing.outreach_id, existing.response_id, [p.id for p in existing.people], notes=[]
    )


# -- the decision --------------------------------------------------------------------------------


def file_parsed(
    parsed: ParsedEmail, *, origin: str, actor: User | None, context: Context, written: list[Path]
) -> FilingResult:
    """File a parsed message; flushes, the caller commits (file_message does). The files it keeps are
    listed in `written` as they are written, so a caller whose transaction fails can remove them."""
    existing = find_received(parsed.key)
    if existing is not None and existing.status != Filed.FAILED:
        return _duplicate(existing)
    if existing is not None:  # it failed before: this is the retry
        db.session.delete(existing)
        db.session.flush()
    received = ReceivedMessage(
        message_key=parsed.key,
        status=Filed.TRIAGE,
        origin=origin,
        subject=parsed.subject,
        from_address=parsed.sender.address if parsed.sender else "",
        sent_at=parsed.sent_at,
        filed_by_id=actor.id if actor else None,
    )
    db.session.add(received)
    db.session.flush()  # the unique key first: a second worker filing the same message stops here
    result = FilingResult(status=Filed.TRIAGE, notes=list(parsed.notes), written=written)
    who = Parties.of(parsed)
    received.people = who.people()
    result.people = [p.id for p in received.people]
    reason = file_by_rules(parsed, who, received, result, actor)
    if reason is not None and (context.outreach_id or context.person_id):
        reason = _file_by_context(parsed, who, received, result, actor, context)
    if reason is not None:
        _to_triage(parsed, received, result, reason)
    received.status = result.status
    received.notes = "\n".join(result.notes)[:5000]
    db.session.flush()
    return result


@dataclass
class Parties:
    """The message's addresses matched: staff accounts and contacts."""

    parsed: ParsedEmail
    staff: dict
    contacts: dict[str, list[int]]

    @classmethod
    def of(cls, parsed: ParsedEmail) -> Parties:
        addresses = [a.address for a in _all_addresses(parsed)]
        return cls(parsed, matching.staff_by_address(addresses), matching.people_by_address(addresses))

    @property
    def from_staff(self) -> User | None:
        sender = self.parsed.sender
        return self.staff.get(sender.address) if sender else None

    @property
    def author(self) -> Address | None:
        """Who wrote it: the sender, or the original sender when staff forwarded a contact's message."""
        forwarded = self.parsed.forwarded_from
        if self.from_staff is not None and forwarded is not None and forwarded.address not in self.staff:
            return forwarded
        return self.parsed.sender

    @property
    def written_by_staff(self) -> bool:
        author = self.author
        return author is not None and author.address in self.staff

    def ids_of(self, addresses: list[Address]) -> list[int]:
        return list(dict.fromkeys(i for a in addresses for i in self.contacts.get(a.address, [])))

    def author_ids(self) -> list[int]:
        return self.ids_of([self.author]) if self.author else []

    def people(self):
        from crm.contacts.models import Person

        ids = self.ids_of(_all_addresses(self.parsed))
        return list(db.session.scalars(select(Person).where(Person.id.in_(ids)))) if ids else []


def _all_addresses(parsed: ParsedEmail) -> list[Address]:
    found = [parsed.sender, parsed.forwarded_from, *parsed.to, *parsed.cc]
    return [a for a in found if a is not None]


def file_by_rules(parsed, who: Parties, received, result, actor) -> str | None:
    """None when filed; else why the rules could not file it."""
    if parsed.sender is None:
        return "The message has no sender address."
    if who.written_by_staff:
        recipients = [a for a in parsed.to + parsed.cc if a.address not in who.staff]
        roles = [("to", i) for i in who.ids_of([a for a in parsed.to if a.address not in who.staff])]
        roles += [("cc", i) for i in who.ids_of([a for a in parsed.cc if a.address not in who.staff])]
        if not roles:
            shown = ", ".join(a.address for a in recipients[:5]) or "nobody outside the staff"
            return f"Sent by staff to {shown}: no contact has these addresses."
        _file_as_outreach(parsed, received, result, actor, roles, owner=who.from_staff)
        return None
    author_ids = who.author_ids()
    participation = _answered(parsed, author_ids)
    if participation is not None:
        # Our message went to them (or their organisation): the reply answers for that participation.
        person_id = participation.person_id or (author_ids[0] if author_ids else None)
        organisation_id = None if person_id else participation.organisation_id
        try:
            file_as_reply(parsed, received, result, actor, participation.outreach, person_id, organisation_id)
        except InvalidInput as error:  # a draft, say: checked before anything is written
            return f"It answers outreach #{participation.outreach_id}, but the reply was refused: {error}"[:300]
        return None
    author = who.author
    if not author_ids:
        return f"No contact has the address {author.address}."
    if len(author_ids) > 1:
        return f"{len(author_ids)} contacts share the address {author.address}."
    return f"From a contact ({author.address}), but it answers none of our messages."


def _answered(parsed: ParsedEmail, author_ids: list[int]) -> Participant | None:
    by_id = matching.participations_answered(parsed.references)
    if by_id:
        return next((p for p in by_id if p.person_id in author_ids), by_id[0])
    if len(author_ids) == 1:
        return matching.participation_by_subject(parsed.subject, author_ids, _day(parsed))
    return None


def _file_by_context(parsed, who: Parties, received, result, actor, context: Context) -> str | None:
    """Dropped on an outreach page: a contact's message is their reply to it. Dropped on a person
    page: an email entry with that person. None when filed; else why the message goes to triage."""
    author_ids = who.author_ids()
    if context.outreach_id:
        if len(author_ids) != 1 or who.written_by_staff:
            return "Dropped on an outreach entry, but its sender is not one known contact."
        file_as_reply(parsed, received, result, actor, get_outreach(context.outreach_id), author_ids[0], None)
        return None
    file_with_person(parsed, who, received, result, actor, context.person_id)
    return None


def file_with_person(parsed, who: Parties, received, result, actor, person_id: int, campaign_id=None) -> None:
    """An email entry the person is on: author if they wrote it, recipient otherwise."""
    author_ids = who.author_ids()
    roles: list[tuple[str, int]] = []
    if person_id:
        roles.append(("from" if person_id in author_ids or not who.written_by_staff else "to", person_id))
    for other in author_ids:
        if other != person_id:
            roles.append(("from", other))
    _file_as_outreach(parsed, received, result, actor, roles, owner=who.from_staff, campaign_id=campaign_id)


# -- writing ------------------------------------------------------------------------------------


def _day(parsed: ParsedEmail) -> date:
    day = parsed.sent_at.date() if parsed.sent_at else today()
    return min(day, today())  # a sender's clock ahead of ours is not a reply from the future


def file_as_reply(parsed, received, result, actor, outreach: Outreach, person_id, organisation_id) -> None:
    received_on = _day(parsed)
    if outreach.sent_on and received_on < outreach.sent_on:
        result.notes.append(f"Dated {received_on:%d %b %Y}, before the outreach: recorded on the day it was sent.")
        received_on = outreach.sent_on
    data = ResponseData(
        received_on=received_on,
        person_id=person_id,
        organisation_id=organisation_id,
        channel="email",
        summary=_reply_summary(parsed, result, outreach, person_id),
    )
    response = record_response(outreach, data, actor=actor)
    _store_files(parsed, result, actor, response=response)
    received.outreach_id, received.response_id = outreach.id, response.id
    result.status, result.outreach_id, result.response_id = Filed.REPLY, outreach.id, response.id
    _audit(received, "filed as reply", f"reply #{response.id} to outreach #{outreach.id}", actor)


def _file_as_outreach(parsed, received, result, actor, roles, *, owner: User | None, campaign_id=None) -> None:
    kind = kind_by_code("email")
    if kind is None:
        raise InvalidInput("The outreach kind “email” is missing: an admin should restore it.", "kind_id")
    data = OutreachData(
        kind_id=kind.id,
        subject=parsed.subject or "(no subject)",
        sent_on=_day(parsed),
        summary=_summary(parsed, result),
        campaign_id=campaign_id,
        status="sent",
        owner_id=owner.id if owner else None,
        participants=[ParticipantData(role, person_id=person_id) for role, person_id in dict.fromkeys(roles)],
    )
    outreach = create_outreach(data, actor=actor)
    _store_files(parsed, result, actor, outreach=outreach)
    received.outreach_id = outreach.id
    result.status, result.outreach_id = Filed.OUTREACH, outreach.id
    _audit(received, "filed as outreach", f"outreach #{outreach.id}", actor)


def _summary(parsed: ParsedEmail, result: FilingResult, text: str | None = None) -> str:
    sender = header_address(parsed.sender) if parsed.sender else "unknown sender"
    head = f"Email from {sender}: {parsed.subject or '(no subject)'}"
    return f"{head}\n\n{parsed.text if text is None else text}".strip()


def _reply_summary(parsed: ParsedEmail, result: FilingResult, outreach: Outreach, person_id: int | None) -> str:
    """What they wrote. The reply records who, when, by email and to what, so the "Email from …: Re: …" line
    would only repeat it (and fill the campaign timeline's 200 characters); it stays when it says more: an
    organisation's reply, someone else writing for them, a subject of its own."""
    sender = parsed.sender.address if parsed.sender else ""
    repeats = (
        person_id is not None
        and person_id in matching.people_by_address([sender]).get(sender.lower(), [])
        and normalise_subject(parsed.subject) == normalise_subject(outreach.subject)
    )
    written = written_above_quote(parsed.text)  # the message they answer is ours, on record already
    return written if repeats and written else _summary(parsed, result, written)


def _store_files(parsed: ParsedEmail, result: FilingResult, actor, **owner) -> None:
    """Each attachment as an upload would be: bounded, documents only; what is left out is said."""
    accepted = []
    for item in parsed.attachments:
        if len(item.data) > attachments.MAX_BYTES:
            size = len(item.data) / (1024 * 1024)
            limit = attachments.MAX_BYTES // (1024 * 1024)
            result.notes.append(f"{item.filename} ({size:.0f} MB) was not kept: attachments are limited to {limit} MB.")
            continue
        try:
            attachments.check_upload(item.filename, io.BytesIO(item.data))
        except DomainError as error:
            result.notes.append(f"Not kept: {error.one_line()}")
            continue
        accepted.append((item.filename, io.BytesIO(item.data)))
    stored = attachments.store(accepted, actor=actor, **owner)
    folder = attachments.storage_dir()
    result.written.extend(folder / a.stored_name for a in stored)
    db.session.flush()


def _to_triage(parsed: ParsedEmail, received: ReceivedMessage, result: FilingResult, reason: str) -> None:
    key = secrets.token_hex(16)
    path = triage_dir() / key
    path.write_bytes(parsed.raw)
    result.written.append(path)
    item = TriageMessage(
        reason=reason[:300],
        from_name=parsed.sender.name if parsed.sender else "",
        from_address=parsed.sender.address if parsed.sender else "",
        recipients=", ".join(header_address(a) for a in parsed.to + parsed.cc)[:5000],
        subject=parsed.subject,
        sent_at=parsed.sent_at,
        body_text=parsed.text,
        attachment_names=", ".join(a.filename for a in parsed.attachments)[:5000],
        stored_name=key,
    )
    received.triage = item
    db.session.flush()
    result.status, result.triage_id = Filed.TRIAGE, item.id
    result.notes.insert(0, f"({reason})")


def triage_dir() -> Path:
    """The messages waiting on the triage list, as they arrived."""
    path = Path(current_app.config["INSTANCE_DIR"]) / "mailbox"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _audit(received: ReceivedMessage, action: str, where: str, actor) -> None:
    audit.record("received_message", received.id, action, {"filed": [None, where]}, actor=actor)


def reparse(item: TriageMessage) -> ParsedEmail:
    """A triage entry's message, read again from the file kept for it."""
    return read_email((triage_dir() / item.stored_name).read_bytes())
