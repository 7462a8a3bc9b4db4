"""The background job that sends a mailing's pending messages, one recipient at a time.

Throttled to CRM_MAIL_PER_MINUTE; a temporary failure (4xx, no connection) is tried again after a
back-off, MAIL_ATTEMPTS times in all; a permanent one (5xx) is recorded at once with the server's
reason. Each recipient's outcome is committed as soon as it is known, so a worker that dies
mid-way resends nothing already sent. A lease on the mailing keeps a second job (a retry clicked
while the first still runs) from sending the same messages: it leaves them to the running one.
"""

from __future__ import annotations

import time

from flask import current_app
from sqlalchemy import select, update

from crm import jobs
from crm.data_version import report_data_changed
from crm.errors import InvalidInput
from crm.extensions import db
from crm.mailing import messages
from crm.mailing.models import Mailing, MailingRecipient, MailingStatus, RecipientStatus
from crm.mailing.throttle import Throttle, pause
from crm.mailing.transport import SendFailed, make_transport
from crm.outreach.service import open_state, refresh_counts
from crm.salutations.service import SalutationBook
from crm.timeutil import utcnow

PROGRESS_SECONDS = 0.5


def progress_key(mailing_id: int) -> str:
    return f"mailing-{mailing_id}"


def _finish(mailing_id: int) -> bool:
    pending = select(MailingRecipient.id).where(
        MailingRecipient.mailing_id == mailing_id, MailingRecipient.status == RecipientStatus.PENDING
    )
    finished = db.session.execute(
        update(Mailing)
        .where(Mailing.id == mailing_id, ~pending.exists())
        .values(status=MailingStatus.DONE, finished_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return bool(finished)


def _next_pending(mailing_id: int) -> MailingRecipient | None:
    return db.session.scalar(
        select(MailingRecipient)
        .where(MailingRecipient.mailing_id == mailing_id, MailingRecipient.status == RecipientStatus.PENDING)
        .order_by(MailingRecipient.id)
        .limit(1)
    )


def send_mailing(mailing_id: int) -> None:
    """The job: send every pending message of the mailing, then mark it done."""
    key = progress_key(mailing_id)
    if jobs.lease_alive(key):
        return  # another job is sending this mailing and will find the messages put back in its queue
    lease = jobs.Lease(key)
    transport = None
    try:
        mailing = db.session.get(Mailing, mailing_id)
        if mailing is None:
            return
        transport = make_transport(mailing.transport)
        sender = _Sender(mailing, transport)
        done = sum(r.status != RecipientStatus.PENDING for r in mailing.recipients)
        last_report = 0.0
        while True:
            while (recipient := _next_pending(mailing_id)) is not None:
                sender.send(recipient)
                db.session.commit()
                done += 1
                if time.monotonic() - last_report >= PROGRESS_SECONDS:
                    jobs.report_progress(key, done)
                    last_report = time.monotonic()
            # Done only if nothing is pending: a retry clicked in the last instant left its messages to this job.
            if _finish(mailing_id):
                break
    finally:
        if transport is not None:
            transport.close()
        jobs.forget_progress(key)
        lease.end()


class _Sender:
    def __init__(self, mailing: Mailing, transport) -> None:
        config = current_app.config
        self.mailing, self.transport = mailing, transport
        self.throttle = Throttle(config["MAIL_PER_MINUTE"])
        self.attempts = max(1, int(config["MAIL_ATTEMPTS"]))
        self.waits = tuple(config["MAIL_RETRY_SECONDS"]) or (0,)
        self.book = SalutationBook()

    def send(self, recipient: MailingRecipient) -> None:
        person = recipient.person
        if person.archived or person.do_not_contact:  # changed since the email was written, or before a retry
            why = "archived" if person.archived else "marked “do not contact”"
            _failed(recipient, f"Not sent: {person.display_name} has been {why} since the email was written.")
            return
        try:
            message = self._message(recipient)
        except (InvalidInput, ValueError) as error:  # the person changed since the preview (a line break in a name…)
            _failed(recipient, f"Not sent: {error}")
            return
        for attempt in range(1, self.attempts + 1):
            self.throttle.wait()
            recipient.attempts += 1
            try:
                self.transport.send(message, self.mailing.sender, recipient.address)
            except SendFailed as failure:
                if failure.temporary and attempt < self.attempts:
                    pause(self.waits[min(attempt - 1, len(self.waits) - 1)])
                    continue
                _failed(recipient, failure.reason)
                return
            _sent(recipient)
            return

    def _message(self, recipient: MailingRecipient):
        person, campaign = recipient.person, self.mailing.outreach.campaign
        fields = messages.recipient_fields(person, recipient.address, self.book.greeting(person), campaign)
        subject, body = messages.render_message(self.mailing.subject, self.mailing.body, fields)
        return messages.build_message(
            sender=self.mailing.sender,
            to_address=recipient.address,
            to_name=person.display_name,
            subject=subject,
            body=body,
            message_id=recipient.message_id,
        )


def _sent(recipient: MailingRecipient) -> None:
    recipient.status, recipient.sent_at, recipient.error = RecipientStatus.SENT, utcnow(), ""
    participant = recipient.participant
    if participant is not None:
        participant.message_id = recipient.message_id  # a reply naming it threads onto this participation
        if participant.undelivered:  # it had failed before: now a reply is owed again
            participant.undelivered = False
            open_state(participant.outreach, participant)
            refresh_counts(participant.outreach)
            report_data_changed()


def _failed(recipient: MailingRecipient, reason: str) -> None:
    recipient.status, recipient.error = RecipientStatus.FAILED, reason[:2000]
    participant = recipient.participant
    if participant is not None and not participant.undelivered:
        # Nobody owes a reply to a message they never got: out of the awaiting-reply queue, and kept
        # out when the entry's states are worked out again (open_state).
        participant.undelivered = True
        if participant.reply_state == "awaiting":
            open_state(participant.outreach, participant)
            refresh_counts(participant.outreach)
            report_data_changed()
