"""Compose, preview and start an email to many people; retry the failed ones. Plain functions, no HTTP.

start_mailing logs the email as one outreach entry (kind "email") with its recipients, makes each
recipient's Message-ID, and hands the sending to a background job when the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from crm import jobs, merge_fields
from crm.audit import service as audit
from crm.auth.models import User
from crm.campaigns.models import Campaign
from crm.errors import InvalidInput, NotFound
from crm.extensions import db
from crm.mailing import messages
from crm.mailing.audience import MAX_RECIPIENTS, Audience, AudienceSource, Recipient, resolve
from crm.mailing.models import Mailing, MailingRecipient, MailingStatus, RecipientStatus
from crm.mailing.transport import transport_name
from crm.outreach.data import OutreachData, ParticipantData
from crm.outreach.service import create_outreach
from crm.taxonomy.models import OutreachKind
from crm.timeutil import today

SEND_JOB = "mailing-send"
EMAIL_KIND = "email"  # crm.taxonomy.defaults: the outreach kind an email is logged as
MAX_SUBJECT = 300


@dataclass
class ComposeData:
    source: AudienceSource
    subject: str
    body: str
    campaign_id: int | None = None
    skip_no_salutation: bool = False  # send to the others and leave out those with no salutation


@dataclass
class Preview:
    audience: Audience
    recipient: Recipient | None  # whose message is shown
    subject: str
    body: str


def _clean(data: ComposeData) -> ComposeData:
    errors: dict[str, list[str]] = {}
    subject = (data.subject or "").strip()
    if "\n" in subject or "\r" in subject:
        errors["subject"] = ["The subject is one line."]
    elif not subject:
        errors["subject"] = ["Write a subject."]
    elif len(subject) > MAX_SUBJECT:
        errors["subject"] = [f"At most {MAX_SUBJECT} characters."]
    body = (data.body or "").replace("\r\n", "\n").strip("\n")
    if not body.strip():
        errors["body"] = ["Write the message."]
    for name, text in (("subject", subject), ("body", body)):
        if name not in errors:
            try:
                merge_fields.check_template(text, messages.MAIL_FIELDS, field=name)
            except InvalidInput as error:
                errors.update(error.errors)
    if data.campaign_id is not None and db.session.get(Campaign, data.campaign_id) is None:
        errors["campaign_id"] = ["That campaign no longer exists."]
    if data.source.empty:
        errors["person_ids"] = ["Choose whom to write to."]
    if errors:
        raise InvalidInput(errors)
    return ComposeData(data.source, subject, body + "\n", data.campaign_id, data.skip_no_salutation)


def _audience(data: ComposeData) -> Audience:
    greets = messages.uses_salutation(data.subject, data.body)
    return resolve(data.source, greets=greets, skip_no_salutation=data.skip_no_salutation)


def _render(data: ComposeData, recipient: Recipient, campaign: Campaign | None) -> tuple[str, str]:
    fields = messages.recipient_fields(recipient.person, recipient.address, recipient.greeting, campaign)
    return messages.render_message(data.subject, data.body, fields)


def audience(data: ComposeData) -> Audience:
    """Who the email would reach, before its text is written or valid (the compose page shows it at once)."""
    return _audience(data)


def preview(data: ComposeData, person_id: int | None = None) -> Preview:
    """Who gets it, who is left out and why, and one recipient's message as they will read it."""
    data = _clean(data)
    audience = _audience(data)
    recipient = audience.recipient(person_id)
    if recipient is None:
        return Preview(audience, None, "", "")
    campaign = db.session.get(Campaign, data.campaign_id) if data.campaign_id else None
    subject, body = _render(data, recipient, campaign)
    return Preview(audience, recipient, subject, body)


def _email_kind() -> OutreachKind:
    kind = db.session.scalar(select(OutreachKind).where(OutreachKind.code == EMAIL_KIND))
    if kind is None:
        raise InvalidInput("There is no “Email” outreach kind (Admin › Categories, types and tags).", "__all__")
    return kind


def start_mailing(data: ComposeData, *, actor: User | None) -> Mailing:
    """Log the email as an outreach entry and queue its messages; the job starts when the caller commits."""
    data = _clean(data)
    audience = _audience(data)
    errors: list[str] = []
    if audience.too_many:
        errors.append(f"At most {MAX_RECIPIENTS} recipients in one email.")
    if not audience.included:
        errors.append("Nobody to send to: everyone chosen is left out (see the list).")
    if audience.no_salutation:
        names = ", ".join(f"{r.person.display_name} ({r.greeting.describe})" for r in audience.no_salutation[:10])
        more = f" and {len(audience.no_salutation) - 10} more" if len(audience.no_salutation) > 10 else ""
        errors.append(
            f"No salutation for {names}{more}: add one (Admin › Salutations), or leave them out of this email."
        )
    if errors:
        raise InvalidInput({"__all__": errors})
    campaign = db.session.get(Campaign, data.campaign_id) if data.campaign_id else None
    # Every message renders before the first one leaves.
    subjects = {_render(data, recipient, campaign)[0] for recipient in audience.included}
    # The log shows the subject as its recipients read it when it reads the same for all ("{{ campaign }}"),
    # not the merge fields: the outreach list, the campaign page and a reply matched by its subject need it.
    logged_subject = subjects.pop() if len(subjects) == 1 else data.subject

    outreach = create_outreach(
        OutreachData(
            kind_id=_email_kind().id,
            subject=logged_subject,
            sent_on=today(),
            summary=data.body,
            campaign_id=data.campaign_id,
            status="sent",
            participants=[ParticipantData("to", person_id=r.person.id) for r in audience.included],
        ),
        actor=actor,
    )
    participants = {p.person_id: p for p in outreach.participants}
    mailing = Mailing(
        outreach=outreach,
        subject=data.subject,
        body=data.body,
        sender=messages.sender_address(),
        transport=transport_name(),
        status=MailingStatus.SENDING,
        created_by_id=actor.id if actor else None,
    )
    mailing.recipients = [
        MailingRecipient(
            person_id=r.person.id,
            participant=participants[r.person.id],
            address=r.address,
            status=RecipientStatus.PENDING,
            message_id=messages.new_message_id(),
        )
        for r in audience.included
    ]
    db.session.add(mailing)
    db.session.flush()
    audit.record(
        "mailing",
        mailing.id,
        "send",
        {
            "subject": [None, data.subject],
            "recipients": [None, len(mailing.recipients)],
            "left out": [None, len(audience.excluded)],
            "outreach": [None, outreach.id],
            "transport": [None, mailing.transport],
        },
        actor=actor,
    )
    jobs.enqueue_after_commit(SEND_JOB, mailing.id)
    return mailing


def get_mailing(mailing_id: int) -> Mailing:
    mailing = db.session.get(Mailing, mailing_id)
    if mailing is None:
        raise NotFound(f"There is no email with id {mailing_id}.")
    return mailing


def recent_mailings(limit: int = 100) -> list[Mailing]:
    return list(db.session.scalars(select(Mailing).order_by(Mailing.id.desc()).limit(limit)))


def status_counts(mailing_id: int) -> dict[str, int]:
    rows = db.session.execute(
        select(MailingRecipient.status, func.count())
        .where(MailingRecipient.mailing_id == mailing_id)
        .group_by(MailingRecipient.status)
    )
    counts = {status.value: 0 for status in RecipientStatus}
    counts.update(dict(rows.tuples().all()))
    return counts


def retry(mailing: Mailing, recipient_id: int | None = None, *, actor: User | None) -> int:
    """Put failed messages (one, or all of them) back in the queue; the job runs when the caller commits."""
    failed = [
        r
        for r in mailing.recipients
        if r.status == RecipientStatus.FAILED and (recipient_id is None or r.id == recipient_id)
    ]
    if recipient_id is not None and not failed:
        raise NotFound("That message has not failed, or is not part of this email.")
    pending = sum(r.status == RecipientStatus.PENDING for r in mailing.recipients)
    if not failed and not pending:
        return 0
    for recipient in failed:
        recipient.status = RecipientStatus.PENDING
    mailing.status, mailing.finished_at = MailingStatus.SENDING, None
    db.session.flush()
    audit.record(
        "mailing",
        mailing.id,
        "retry",
        {"addresses": [None, ", ".join(r.address for r in failed) or "the pending ones"]},
        actor=actor,
    )
    jobs.enqueue_after_commit(SEND_JOB, mailing.id)
    return len(failed) + pending
