"""The mailbox the worker reads, on a real Dovecot: messages filed, moved (never deleted), bad ones set aside."""

from __future__ import annotations

import json

from sqlalchemy import select

from crm.extensions import db
from crm.mailbox import imap
from crm.mailbox.models import ReceivedMessage
from crm.outreach.models import Participant
from tests.factories import make_outreach, make_person
from tests.mailbox.conftest import make_email


def test_fetch_files_every_message_and_moves_it_to_the_filed_folder(app, mailbox, runner, staff):
    mukhtar = make_person(emails=("mukhtar@example.org",))
    make_outreach("Parole hearing", to=[mukhtar])
    db.session.scalar(select(Participant)).message_id = "<ask@crm.example.org>"
    db.session.commit()
    mailbox.deliver(make_email(subject="Re: Parole hearing", in_reply_to="<ask@crm.example.org>"))
    mailbox.deliver(make_email(sender="stranger@example.net", subject="Who are you", message_id="<s@x>"))
    mailbox.deliver(
        make_email(sender="editor@example.org", to="mukhtar@example.org", subject="Bcc", message_id="<b@x>")
    )
    answer = runner.invoke(args=["crm", "mail", "fetch", "--json"])
    assert answer.exit_code == 0, answer.output
    assert json.loads(answer.stdout) == {"reply": 1, "outreach": 1, "triage": 1, "duplicate": 0, "failed": 0}
    assert mailbox.subjects("INBOX") == []
    assert mailbox.subjects("CRM.Filed") == ["Bcc", "Re: Parole hearing", "Who are you"]
    # The same message delivered again is filed once, and moved too.
    mailbox.deliver(make_email(subject="Re: Parole hearing", in_reply_to="<ask@crm.example.org>"))
    assert imap.fetch_once()["duplicate"] == 1
    assert len(mailbox.subjects("CRM.Filed")) == 4


def test_a_bad_message_is_set_aside_and_the_rest_filed(app, mailbox):
    mailbox.deliver(b"\x89PNG\r\n\x1a\n this is a picture, not an email")
    mailbox.deliver(make_email(sender="stranger@example.net", subject="Still filed", message_id="<after@x>"))
    counts = imap.fetch_once()
    assert counts["failed"] == 1 and counts["triage"] == 1
    assert mailbox.subjects("CRM.Failed") == [""]
    assert mailbox.subjects("CRM.Filed") == ["Still filed"]
    failed = db.session.scalar(select(ReceivedMessage).where(ReceivedMessage.status == "failed"))
    assert "not an email" in failed.notes


def test_the_folders_are_configurable_and_created_when_missing(app, mailbox):
    app.config["IMAP_FILED_FOLDER"] = "Archive/CRM done"
    mailbox.deliver(make_email(sender="stranger@example.net", message_id="<c@x>", subject="Configured"))
    assert imap.fetch_once()["triage"] == 1
    assert mailbox.subjects("Archive.CRM done") == ["Configured"]


def test_a_wrong_password_is_one_line(app, runner, dovecot):
    app.config["IMAP_URL"] = dovecot.replace("mailbox-secret", "wrong")
    answer = runner.invoke(args=["crm", "mail", "fetch"])
    assert answer.exit_code == 1 and answer.stderr.startswith("Error: cannot read the mailbox")


def test_the_url_forms():
    plain = imap.MailboxSettings.from_url("imap://crm:p%40ss@127.0.0.1:1143/INBOX")
    assert (plain.user, plain.password, plain.port, plain.tls, plain.starttls) == ("crm", "p@ss", 1143, False, False)
    secure = imap.MailboxSettings.from_url("imaps://crm:x@mail.example.org/Shared/CRM")
    assert secure.port == 993 and secure.tls and secure.folder == "Shared/CRM"
    assert imap.MailboxSettings.from_url("imap://u:p@h/INBOX?starttls=1").starttls
