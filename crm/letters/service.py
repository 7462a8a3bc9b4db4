"""Merge a template for many people, and log the letters as one outreach entry. Plain functions, no HTTP.

start_merge records the merge (who gets a letter, who is left out and why) and merges at once when it is
small, or hands it to a background job when the caller commits; run_merge writes the files: the zip of
one .docx per recipient (with the combined document in it), the combined document to print in one go,
and its PDF when LibreOffice is installed. log_merge logs the letters as one outreach entry of kind
"letter", each recipient's participation carrying their own letter, so a reply threads onto it.
"""

from __future__ import annotations

import io
import json
import logging
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from anyascii import anyascii
from flask import current_app
from sqlalchemy import select

from crm import jobs
from crm.audit import service as audit
from crm.auth.models import User
from crm.campaigns.models import Campaign
from crm.errors import DomainError, InvalidInput, NotFound
from crm.extensions import db
from crm.letters import storage
from crm.letters.audience import Audience, LetterSource, Recipient, load_people, resolve
from crm.letters.fields import Letterhead, letter_fields, letter_language_ok
from crm.letters.models import LetterMerge, LetterTemplate, MergeStatus
from crm.letters.render import check_template, combine, letter_environment, libreoffice, render_letter, to_pdf
from crm.letters.templates import read_upload, template_bytes
from crm.outreach.attachments import discard_files, store
from crm.outreach.data import OutreachData, ParticipantData
from crm.outreach.service import create_outreach
from crm.taxonomy.models import OutreachKind
from crm.timeutil import today, utcnow

log = logging.getLogger(__name__)
MERGE_JOB = "letters-merge"
UNEXPECTED = (
    "The merge stopped on an unexpected error; no letters were kept. An admin can find the details in the server log."
)
# A merge job waits in the queue without a lease until a worker takes it: only one this old is taken for dead.
ABANDONED_AFTER = timedelta(minutes=30)
ABANDONED = "The worker merging these letters stopped before the end (it was ended, restarted or crashed); no letters were kept. Merge them again."
LETTER_KIND = "letter"  # crm.taxonomy.defaults: the outreach kind letters are logged as
PDF_MISSING = "PDF needs LibreOffice (see the README: apt-get install -y libreoffice-writer-nogui)."


@dataclass
class MergeRequest:
    source: LetterSource
    letter_date: date | None = None  # today when not given
    fallback_language: str = "en"  # for people whose languages are not recorded (or have no salutation)
    campaign_id: int | None = None
    log: bool = False
    sender: str = ""


@dataclass
class MergeTemplate:
    """A stored template, or a .docx given by path to the CLI."""

    name: str
    data: bytes
    fields: list[str] = field(default_factory=list)
    record: LetterTemplate | None = None

    @classmethod
    def stored(cls, template: LetterTemplate) -> MergeTemplate:
        return cls(template.name, template_bytes(template), template.fields.split(","), template)

    @property
    def greets(self) -> bool:
        return "salutation" in self.fields


def _check(request: MergeRequest) -> MergeRequest:
    errors: dict[str, list[str]] = {}
    language = (request.fallback_language or "en").strip().lower()
    if not re.fullmatch(r"[a-z]{2,3}", language) or not letter_language_ok(language):
        errors["fallback_language"] = ["Give a language code (en, de, fr, ru …)."]
    if request.campaign_id is not None and db.session.get(Campaign, request.campaign_id) is None:
        errors["campaign_id"] = [f"There is no campaign with id {request.campaign_id}."]
    if not request.source.chosen and not request.campaign_id:
        errors["person_ids"] = ["Choose whom to write to, or a campaign to write to its people."]
    if errors:
        raise InvalidInput(errors)
    request.fallback_language = language
    request.letter_date = request.letter_date or today()
    request.source.campaign_id = request.campaign_id
    return request


def preview(request: MergeRequest, template: MergeTemplate | None) -> Audience:
    """Who would get a letter and who is left out, and why."""
    request = _check(request)
    return resolve(
        request.source, fallback_language=request.fallback_language, greets=template is None or template.greets
    )


def start_merge(request: MergeRequest, template: MergeTemplate, *, actor: User | None) -> LetterMerge:
    """Record the merge; small ones are merged now, big ones by a job once the caller commits."""
    request = _check(request)
    audience = resolve(request.source, fallback_language=request.fallback_language, greets=template.greets)
    if audience.too_many:
        raise InvalidInput(f"At most {len(audience.included) + len(audience.excluded)} people in one merge.")
    if not audience.included:
        raise InvalidInput("Nobody to write to: everyone chosen is left out (see the list).")
    merge = LetterMerge(
        template_id=template.record.id if template.record else None,
        template_name=template.name[:200],
        campaign_id=request.campaign_id,
        letter_date=request.letter_date,
        fallback_language=request.fallback_language,
        source=json.dumps(request.source.as_dict()),
        person_ids=json.dumps([r.person.id for r in audience.included]),
        left_out=json.dumps([{"person_id": e.person.id, "why": e.why} for e in audience.excluded]),
        letters=len(audience.included),
        status=MergeStatus.RUNNING,
        stored_name=storage.new_key(),
        log_outreach=request.log,
        created_by_id=actor.id if actor else None,
    )
    db.session.add(merge)
    db.session.flush()
    if template.record is not None and len(audience.included) > current_app.config["LETTERS_BACKGROUND_AFTER"]:
        jobs.enqueue_after_commit(MERGE_JOB, merge.id, request.sender)
    else:
        run_merge(merge, template, audience.included, sender=request.sender, actor=actor)
    return merge


def progress_key(merge_id: int) -> str:
    return f"letters-merge-{merge_id}"


def _file_name(index: int, recipient: Recipient) -> str:
    name = re.sub(r"[^A-Za-z0-9 .'-]+", "", anyascii(recipient.person.display_name or "letter")).strip()
    return f"{index:03d} {name[:80] or 'letter'}.docx"


def run_merge(
    merge: LetterMerge, template: MergeTemplate, recipients: list[Recipient], *, sender: str, actor: User | None
) -> LetterMerge:
    """Write the merge's files and, when asked, log it. A template that fails on someone's letter is
    InvalidInput naming them, and nothing is kept."""
    head = Letterhead(merge.letter_date, merge.campaign, sender)
    environment = letter_environment()
    folder = storage.merge_folder(merge.stored_name)
    letters: list[tuple[str, bytes]] = []
    try:
        for index, recipient in enumerate(recipients, start=1):
            fields = letter_fields(recipient.person, recipient.greeting, head, recipient.address)
            try:
                letters.append((_file_name(index, recipient), render_letter(template.data, fields, environment)))
            except DomainError as error:
                raise InvalidInput(f"The letter to {recipient.person.display_name}: {error}") from None
            if index % 20 == 0:
                jobs.report_progress(progress_key(merge.id), index)
        combined = folder / storage.COMBINED_NAME
        combined.write_bytes(combine([data for _, data in letters]))
        merge.has_pdf, merge.pdf_note = _pdf(combined)
        with zipfile.ZipFile(folder / storage.ZIP_NAME, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in letters:
                archive.writestr(name, data)
            archive.write(combined, "All letters.docx")
            if merge.has_pdf:
                archive.write(folder / storage.PDF_NAME, "All letters.pdf")
    except BaseException:
        storage.remove_merge_files(merge.stored_name)
        raise
    merge.status, merge.finished_at = MergeStatus.DONE, utcnow()
    db.session.flush()
    if merge.log_outreach:
        log_merge(merge, actor=actor)
    return merge


def _pdf(combined: Path) -> tuple[bool, str]:
    soffice = libreoffice(current_app.config["LETTERS_SOFFICE"])
    if soffice is None:
        return False, PDF_MISSING
    try:
        to_pdf(combined, soffice)
    except InvalidInput as error:
        return False, str(error.errors["__all__"][0])
    return True, ""


def letters_in(merge: LetterMerge) -> list[tuple[str, bytes]]:
    """(file name, .docx bytes) of each recipient's letter, in the zip's order."""
    path = storage.merge_folder(merge.stored_name) / storage.ZIP_NAME
    if not merge.stored_name or not path.exists():
        raise NotFound("The files of this merge are no longer kept.")
    with zipfile.ZipFile(path) as archive:
        return [(name, archive.read(name)) for name in archive.namelist() if name[:3].isdigit()]


def _letter_kind() -> OutreachKind:
    kind = db.session.scalar(select(OutreachKind).where(OutreachKind.code == LETTER_KIND))
    if kind is None:
        raise InvalidInput("There is no “Letter” outreach kind (Admin › Categories, types and tags).")
    return kind


def log_merge(merge: LetterMerge, *, actor: User | None) -> LetterMerge:
    """Log the letters as one outreach entry, each participation with its own letter attached."""
    if merge.outreach_id is not None:
        raise InvalidInput(f"These letters are logged already (outreach #{merge.outreach_id}).")
    if merge.status != MergeStatus.DONE:
        raise InvalidInput("The letters are not merged yet.")
    person_ids = json.loads(merge.person_ids)
    letters = letters_in(merge)
    outreach = create_outreach(
        OutreachData(
            kind_id=_letter_kind().id,
            subject=merge.template_name,
            sent_on=merge.letter_date,
            summary=f"Letters merged from the template “{merge.template_name}” (letter merge #{merge.id}).",
            campaign_id=merge.campaign_id,
            status="sent",
            participants=[ParticipantData("to", person_id=person_id) for person_id in person_ids],
        ),
        actor=actor,
    )
    participants = {p.person_id: p for p in outreach.participants}
    written = []
    try:
        for person_id, (name, data) in zip(person_ids, letters, strict=True):
            [attachment] = store([(name[4:], io.BytesIO(data))], actor=actor, outreach=outreach)
            attachment.participant = participants[person_id]
            written.append(attachment)
        db.session.flush()
    except BaseException:
        discard_files(written)
        raise
    merge.outreach_id = outreach.id
    audit.record(
        "letter_merge",
        merge.id,
        "log",
        {
            "template": [None, merge.template_name],
            "letters": [None, len(person_ids)],
            "left out": [None, len(json.loads(merge.left_out))],
            "outreach": [None, outreach.id],
        },
        actor=actor,
    )
    db.session.flush()
    return merge


def get_merge(merge_id: int) -> LetterMerge:
    merge = db.session.get(LetterMerge, merge_id)
    if merge is None:
        raise NotFound(f"There is no letter merge with id {merge_id}.")
    return merge


def recent_merges(limit: int = 50) -> list[LetterMerge]:
    return list(db.session.scalars(select(LetterMerge).order_by(LetterMerge.id.desc()).limit(limit)))


@dataclass
class LeftOut:
    person_id: int
    name: str
    why: str


def left_out(merge: LetterMerge) -> list[LeftOut]:
    """Who was left out and why, with their names as they are now (an erased person's is gone)."""
    entries = json.loads(merge.left_out)
    people = {p.id: p for p in load_people([e["person_id"] for e in entries])}
    return [
        LeftOut(e["person_id"], people[e["person_id"]].display_name if e["person_id"] in people else "?", e["why"])
        for e in entries
    ]


def merge_in_background(merge_id: int, sender: str) -> None:
    """The job: merge the letters of a big merge recorded by start_merge, and commit."""
    merge = get_merge(merge_id)
    if merge.status != MergeStatus.RUNNING or jobs.lease_alive(progress_key(merge_id)):
        return  # done already, or another worker has it (a job delivered twice)
    lease = jobs.Lease(progress_key(merge_id))  # fail_abandoned_merges tells a dead worker's merge by it
    try:
        if merge.template is None:
            raise InvalidInput("The template was deleted before the letters were merged.")
        template = MergeTemplate.stored(merge.template)
        source = LetterSource(**json.loads(merge.source))
        chosen = set(json.loads(merge.person_ids))
        audience = resolve(source, fallback_language=merge.fallback_language, greets=template.greets)
        recipients = [r for r in audience.included if r.person.id in chosen]
        merge.person_ids = json.dumps([r.person.id for r in recipients])  # as they are now
        merge.letters = len(recipients)
        run_merge(merge, template, recipients, sender=sender, actor=merge.created_by)
        db.session.commit()
    except Exception as error:
        if not isinstance(error, DomainError):
            log.exception("letters merge #%s failed", merge_id)
        _merge_failed(merge_id, str(error) if isinstance(error, DomainError) else UNEXPECTED)
    finally:
        jobs.forget_progress(progress_key(merge_id))
        lease.end()


def fail_abandoned_merges() -> list[int]:
    """A chore: merges still "running" long after they began, with no worker holding them, failed."""
    running = db.session.scalars(select(LetterMerge).where(LetterMerge.status == MergeStatus.RUNNING)).all()
    dead = [
        merge.id
        for merge in running
        if jobs.overdue(merge.created_at, ABANDONED_AFTER) and not jobs.lease_alive(progress_key(merge.id))
    ]
    for merge_id in dead:
        _merge_failed(merge_id, ABANDONED)
    return dead


def _merge_failed(merge_id: int, message: str) -> None:
    db.session.rollback()
    merge = get_merge(merge_id)
    if merge.status == MergeStatus.RUNNING:
        storage.remove_merge_files(merge.stored_name)
        merge.status, merge.error, merge.finished_at = MergeStatus.FAILED, message, utcnow()
    db.session.commit()


def template_for_path(path: Path) -> MergeTemplate:
    """A .docx given by path (the CLI), checked as an upload is."""
    with path.open("rb") as stream:
        data = read_upload(path.name, stream)
    return MergeTemplate(path.name, data, check_template(data, path.name))


def merges_writing_to(person_id: int) -> list[LetterMerge]:
    """The merges whose files still hold a letter to this person (erasure removes them)."""
    merges = db.session.scalars(select(LetterMerge).where(LetterMerge.stored_name != ""))
    return [merge for merge in merges if person_id in json.loads(merge.person_ids)]
