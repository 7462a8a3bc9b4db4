"""Erasing a person removes the emails that named them, the triage list's included, with their files."""

from __future__ import annotations

from sqlalchemy import select

from crm.extensions import db
from crm.mailbox.filing import file_message, triage_dir
from crm.mailbox.models import ReceivedMessage, TriageMessage
from crm.privacy.erasure import erase_person, remove_files
from tests.factories import make_person
from tests.mailbox.conftest import make_email


def test_erasure_removes_received_and_triage_messages_of_the_person(app):
    mukhtar = make_person(emails=("mukhtar@example.org",))
    file_message(make_email(subject="Hello", message_id="<a@x>"), origin="imap", actor=None)
    stranger = file_message(make_email(sender="stranger@example.net", message_id="<b@x>"), origin="imap", actor=None)
    [item] = db.session.scalars(select(TriageMessage).where(TriageMessage.from_address == "mukhtar@example.org"))
    kept = triage_dir() / item.stored_name
    assert kept.exists()
    done = erase_person(mukhtar.id, "Request of 3 March", actor=None)
    db.session.commit()
    remove_files(done)
    assert done.counts["received emails removed"] == 1 and not kept.exists()
    assert [m.id for m in db.session.scalars(select(ReceivedMessage))] != []
    assert db.session.scalars(select(TriageMessage.id)).all() == [stranger.triage_id]
