"""Filing: replies threaded by Message-ID or by subject and sender, staff email as outreach, the rest to triage."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from crm.audit.models import AuditEntry
from crm.extensions import db
from crm.mailbox.filing import Context, file_message
from crm.mailbox.models import ReceivedMessage, TriageMessage
from crm.outreach.models import Attachment, Outreach, Participant, Response
from tests.factories import make_outreach, make_person
from tests.mailbox.conftest import make_email


def _sent_to(person, message_id="<ask-1@crm.example.org>", subject="Parole hearing", sent_on=date(2017, 10, 11)):
    outreach = make_outreach(subject, kind="email", to=[person], sent_on=sent_on)
    participation = db.session.scalar(select(Participant).where(Participant.outreach_id == outreach.id))
    participation.message_id = message_id  # as the mailing feature records what it sent
    db.session.commit()
    return outreach


def test_a_reply_naming_our_message_id_is_filed_on_that_participation(app):
    mukhtar = make_person(emails=("mukhtar@example.org",))
    outreach = _sent_to(mukhtar)
    raw = make_email(subject="Something else entirely", in_reply_to="<ask-1@crm.example.org>")
    result = file_message(raw, origin="command", actor=None)
    assert result.status == "reply" and result.outreach_id == outreach.id and result.people == [mukhtar.id]
    db.session.expire_all()
    outreach = db.session.get(Outreach, outreach.id)
    [response] = outreach.responses
    assert result.response_id == response.id
    assert response.channel == "email" and response.received_on == date(2017, 11, 20)
    assert "Thank you for your letter." in response.summary and response.person_id == mukhtar.id
    assert outreach.participants[0].reply_state == "replied" and outreach.status == "answered"
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "received_message"))


def test_the_sender_address_matches_whatever_its_case(app):
    mukhtar = make_person(emails=("mukhtar@example.org",))
    _sent_to(mukhtar)
    raw = make_email(sender="Mukhtar <Mukhtar@Example.ORG>", in_reply_to="<ask-1@crm.example.org>")
    assert file_message(raw, origin="command", actor=None).people == [mukhtar.id]


def test_without_threading_headers_the_same_subject_and_sender_within_60_days_is_a_reply(app):
    mukhtar = make_person(emails=("mukhtar@example.org",))
    outreach = _sent_to(mukhtar, message_id=None, subject="Parole hearing")
    result = file_message(make_email(subject="AW: RE: Parole  hearing"), origin="command", actor=None)
    assert result.status == "reply" and result.outreach_id == outreach.id


def test_the_same_subject_months_later_is_not_a_reply(app):
    mukhtar = make_person(emails=("mukhtar@example.org",))
    _sent_to(mukhtar, message_id=None, sent_on=date(2017, 6, 1))
    result = file_message(make_email(subject="Re: Parole hearing"), origin="command", actor=None)
    assert result.status == "triage"


def test_staff_writing_to_contacts_becomes_an_email_outreach_entry(app, staff, tmp_path):
    mukhtar = make_person(emails=("mukhtar@example.org",))
    aida = make_person("Khalilova", "Aida", emails=("aida@example.org",))
    raw = make_email(
        sender="Editor <editor@example.org>",
        to="Mukhtar <mukhtar@example.org>, unknown@example.net",
        cc="aida@example.org",
        subject="Our letter about the hearing",
        attachments=(("letter.pdf", b"%PDF-1.4 our letter", "application/pdf"),),
    )
    result = file_message(raw, origin="imap", actor=None)
    assert result.status == "outreach" and result.response_id is None
    outreach = db.session.get(Outreach, result.outreach_id)
    assert outreach.kind.code == "email" and outreach.subject == "Our letter about the hearing"
    assert outreach.owner_id == staff["editor"].id and outreach.sent_on == date(2017, 11, 20)
    assert {(p.person_id, p.role) for p in outreach.participants} == {(mukhtar.id, "to"), (aida.id, "cc")}
    [attachment] = outreach.attachments
    assert attachment.filename == "letter.pdf"
    assert sorted(result.people) == sorted([mukhtar.id, aida.id])


def test_a_message_from_nobody_we_know_goes_to_triage_with_the_reason(app):
    result = file_message(make_email(sender="stranger@example.net"), origin="imap", actor=None)
    assert result.status == "triage" and result.outreach_id is None and result.people == []
    item = db.session.get(TriageMessage, result.triage_id)
    assert item.state == "open" and "stranger@example.net" in item.reason
    assert item.body_text == "Thank you for your letter."


def test_a_contact_answering_nothing_of_ours_goes_to_triage(app):
    make_person(emails=("mukhtar@example.org",))
    result = file_message(make_email(subject="Hello"), origin="imap", actor=None)
    assert result.status == "triage"


def test_the_same_message_id_twice_is_filed_once(app):
    mukhtar = make_person(emails=("mukhtar@example.org",))
    outreach = _sent_to(mukhtar)
    raw = make_email(in_reply_to="<ask-1@crm.example.org>")
    first = file_message(raw, origin="imap", actor=None)
    again = file_message(make_email(in_reply_to="<ask-1@crm.example.org>", body="resent"), origin="upload", actor=None)
    assert again.status == "duplicate" and again.response_id == first.response_id
    db.session.expire_all()
    assert len(db.session.get(Outreach, outreach.id).responses) == 1


def test_a_message_without_message_id_is_known_by_its_bytes(app):
    raw = make_email(sender="stranger@example.net", message_id=None)
    assert file_message(raw, origin="imap", actor=None).status == "triage"
    assert file_message(raw, origin="imap", actor=None).status == "duplicate"
    [received] = db.session.scalars(select(ReceivedMessage))
    assert received.message_key.startswith("sha256:")


def test_staff_forwarding_a_contacts_message_files_it_as_the_contacts_reply(app, staff):
    mukhtar = make_person(emails=("mukhtar@example.org",))
    outreach = _sent_to(mukhtar, message_id=None)
    body = (
        "FYI\n\n---------- Forwarded message ---------\nFrom: Mukhtar Dzhakishev <mukhtar@example.org>\n"
        "Date: Mon, 20 Nov 2017\nSubject: Re: Parole hearing\n\nThank you."
    )
    raw = make_email(
        sender="editor@example.org", to="inbox@crm.example.org", subject="Fwd: Re: Parole hearing", body=body
    )
    result = file_message(raw, origin="imap", actor=None)
    assert result.status == "reply" and result.outreach_id == outreach.id


def test_a_forged_staff_sender_grants_nothing(app, staff):
    """A From of a staff account only files the message; the audit names no staff member as its actor."""
    make_person(emails=("mukhtar@example.org",))
    raw = make_email(sender="Admin <admin@example.org>", to="mukhtar@example.org", subject="Pretending")
    result = file_message(raw, origin="imap", actor=None)
    assert result.status == "outreach"
    entries = db.session.scalars(select(AuditEntry)).all()
    assert entries and all(entry.actor_id is None for entry in entries)


def test_dropped_on_a_person_page_a_message_no_rule_files_is_an_entry_with_that_person(app):
    mukhtar = make_person(emails=("mukhtar@example.org",))
    raw = make_email(sender="someone@example.net", subject="About Mukhtar")
    result = file_message(raw, origin="upload", actor=None, context=Context(person_id=mukhtar.id))
    assert result.status == "outreach"
    outreach = db.session.get(Outreach, result.outreach_id)
    assert [p.person_id for p in outreach.participants] == [mukhtar.id]


def test_dropped_on_an_outreach_page_a_contacts_message_is_their_reply(app):
    mukhtar = make_person(emails=("mukhtar@example.org",))
    outreach = make_outreach("Parole hearing", to=[mukhtar])
    raw = make_email(subject="Unrelated words", date=datetime(2017, 12, 1, tzinfo=UTC))
    result = file_message(raw, origin="upload", actor=None, context=Context(outreach_id=outreach.id))
    assert result.status == "reply" and result.outreach_id == outreach.id


def test_nothing_is_half_saved_when_filing_fails(app, monkeypatch):
    import pytest

    from crm.mailbox import filing

    mukhtar = make_person(emails=("mukhtar@example.org",))
    _sent_to(mukhtar)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(filing.attachments, "store", broken)
    raw = make_email(in_reply_to="<ask-1@crm.example.org>")
    with pytest.raises(RuntimeError):
        file_message(raw, origin="imap", actor=None)
    assert db.session.scalars(select(ReceivedMessage)).all() == []
    assert db.session.scalars(select(Attachment)).all() == []
    db.session.expire_all()
    assert all(not o.responses for o in db.session.scalars(select(Outreach)))


def test_a_reply_under_our_subject_from_the_recipient_keeps_only_what_they_wrote(app):
    mukhtar = make_person(emails=("mukhtar@example.org",))
    _sent_to(mukhtar, subject="Parole hearing")
    file_message(
        make_email(subject="Re: Parole hearing", in_reply_to="<ask-1@crm.example.org>"), origin="imap", actor=None
    )
    # Someone else, writing for him from their own address under a subject of their own: the line says so.
    make_person("Dzhakisheva", "Aruzhan", emails=("aruzhan@example.org",))
    other = make_email(
        sender="Aruzhan Dzhakisheva <aruzhan@example.org>",
        subject="About my father",
        message_id="<reply-2@example.org>",
        in_reply_to="<ask-1@crm.example.org>",
    )
    file_message(other, origin="imap", actor=None)

    first, second = db.session.scalars(select(Response.summary).order_by(Response.id)).all()
    # Who, when, by email and to what are the reply's own fields: the summary does not repeat them.
    assert first == "Thank you for your letter."
    assert second.startswith("Email from Aruzhan Dzhakisheva <aruzhan@example.org>: About my father")


def test_files_kept_before_a_filing_fails_are_removed_again(app, monkeypatch):
    import pytest

    from crm.mailbox import filing
    from crm.outreach.attachments import storage_dir

    mukhtar = make_person(emails=("mukhtar@example.org",))
    _sent_to(mukhtar)

    def broken(*args, **kwargs):
        raise RuntimeError("the audit table is gone")

    monkeypatch.setattr(filing, "_audit", broken)  # after the attachment is stored
    raw = make_email(
        in_reply_to="<ask-1@crm.example.org>", attachments=(("answer.pdf", b"%PDF-1.4 answer", "application/pdf"),)
    )

    def files() -> set:
        return {path for path in storage_dir().rglob("*") if path.is_file()} if storage_dir().exists() else set()

    before = files()
    with pytest.raises(RuntimeError):
        file_message(raw, origin="imap", actor=None)
    assert db.session.scalars(select(Attachment)).all() == []
    assert files() == before
