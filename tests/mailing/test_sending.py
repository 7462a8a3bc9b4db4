"""Sending over real SMTP: one message per recipient, Message-IDs recorded, throttled, retried, failures kept."""

from __future__ import annotations

import stat
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crm.audit.models import AuditEntry
from crm.contacts.people import set_archived
from crm.errors import InvalidInput
from crm.extensions import db
from crm.mailing.audience import AudienceSource
from crm.mailing.models import Mailing, RecipientStatus
from crm.mailing.service import ComposeData, preview, retry
from crm.outreach.models import Outreach
from crm.taxonomy.service import kind_by_code
from tests.factories import make_campaign, make_person
from tests.mailing.helpers import send_to


@pytest.fixture
def meps(app):
    return [
        make_person("Kelam", "Tunne", honorific="Mr", languages=["en"], emails=("tunne.kelam@ep.example.eu",)),
        make_person("Delvaux-Stehres", "Mady", honorific="Ms", languages=["fr", "en"], emails=("mady@ep.example.eu",)),
        make_person("Schmidt", "Jan", honorific="Herr", languages=["de"], emails=("jan.schmidt@ep.example.eu",)),
    ]


def test_each_recipient_gets_one_message_addressed_to_them_alone(smtp, staff, meps):
    campaign = make_campaign()
    mailing = send_to(meps, staff["editor"], campaign_id=campaign.id)

    assert sorted(r.rcpt_tos[0] for r in smtp.received) == sorted(e for p in meps for e in [p.primary_email])
    assert all(len(r.rcpt_tos) == 1 for r in smtp.received) and len(smtp.received) == 3
    by_address = {r.rcpt_tos[0]: r.message for r in smtp.received}
    kelam = by_address["tunne.kelam@ep.example.eu"]
    assert kelam["To"] == "Tunne Kelam <tunne.kelam@ep.example.eu>" and kelam["Cc"] is None and kelam["Bcc"] is None
    assert kelam["From"] == "campaigns@freedom.example.org" and kelam["Subject"] == "About Mukhtar Dzhakishev"
    assert kelam.get_content().replace("\r\n", "\n").startswith("Dear Mr Kelam,\n\nPlease ask")
    assert (
        by_address["mady@ep.example.eu"].get_content().replace("\r\n", "\n").startswith("Madame,")
    )  # her first language is French
    assert (
        by_address["jan.schmidt@ep.example.eu"]
        .get_content()
        .replace("\r\n", "\n")
        .startswith("Sehr geehrter Herr Schmidt,")
    )

    db.session.expire_all()
    mailing = db.session.get(Mailing, mailing.id)
    assert mailing.status == "done" and {r.status for r in mailing.recipients} == {RecipientStatus.SENT}
    # One email outreach entry, in its campaign, whose recipients carry the Message-ID each was sent with.
    outreach = db.session.scalars(select(Outreach)).one()
    assert outreach.kind_id == kind_by_code("email").id and outreach.campaign_id == campaign.id
    assert outreach.recipient_count == 3 and outreach.status == "awaiting"
    sent_ids = {r.rcpt_tos[0]: r.message["Message-ID"] for r in smtp.received}
    for participant in outreach.participants:
        assert participant.role == "to" and participant.reply_state == "awaiting"
        assert participant.message_id == sent_ids[participant.person.primary_email]
        assert participant.message_id.endswith("@freedom.example.org>")
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.entity_type == "mailing"))


def test_people_who_cannot_be_written_to_are_listed_and_left_out(smtp, staff, meps):
    no_email = make_person("Sakharov", "Andrei")
    archived = set_archived(make_person("Old", "Member", emails=("old@example.org",)), True, actor=None)
    refuses = make_person("Quiet", "Person", emails=("quiet@example.org",), do_not_contact=True)
    db.session.commit()
    everyone = [*meps, no_email, archived, refuses]
    data = ComposeData(AudienceSource(person_ids=[p.id for p in everyone]), "Hello", "{{ salutation }},\n")

    shown = preview(data)
    reasons = {e.person.family_name: e.reason for e in shown.audience.excluded}
    assert reasons == {"Sakharov": "no email address", "Old": "archived", "Quiet": "marked “do not contact”"}
    assert [r.person.family_name for r in shown.audience.included] == ["Kelam", "Delvaux-Stehres", "Schmidt"]

    send_to(everyone, staff["editor"])
    assert sorted(r.rcpt_tos[0] for r in smtp.received) == sorted(p.primary_email for p in meps)


def test_messages_per_minute_are_honoured(smtp, staff, app, clock):
    app.config["MAIL_PER_MINUTE"] = 2
    sent_at: list[float] = []
    smtp.on_data.append(lambda: sent_at.append(clock.now))
    people = [make_person(f"Member{i}", "Anna", emails=(f"member{i}@example.org",)) for i in range(5)]

    send_to(people, staff["editor"])

    assert len(smtp.received) == 5
    # In any minute, counted from any message, at most two messages went out.
    assert max(sum(start <= t < start + 60 for t in sent_at) for start in sent_at) == 2
    assert len(clock.sleeps) == 4  # the first went at once, each of the others waited its turn


def test_a_temporary_refusal_is_tried_again(smtp, staff, meps, clock):
    smtp.data_answers.append("451 4.3.0 Mailbox busy, try again later")
    mailing = send_to(meps[:1], staff["editor"])

    assert len(smtp.received) == 1 and smtp.received[0].rcpt_tos == ["tunne.kelam@ep.example.eu"]
    db.session.expire_all()
    recipient = db.session.get(Mailing, mailing.id).recipients[0]
    assert (recipient.status, recipient.attempts, recipient.error) == (RecipientStatus.SENT, 2, "")
    assert 30 in clock.sleeps  # the back-off before the second attempt


def test_a_refusal_that_lasts_fails_after_every_attempt(smtp, staff, meps, app):
    smtp.data_answers += ["451 4.3.0 Mailbox busy"] * app.config["MAIL_ATTEMPTS"]
    mailing = send_to(meps[:1], staff["editor"])
    db.session.expire_all()
    recipient = db.session.get(Mailing, mailing.id).recipients[0]
    assert recipient.status == RecipientStatus.FAILED and recipient.attempts == 3
    assert recipient.error == "451 4.3.0 Mailbox busy" and smtp.received == []


def test_a_permanent_failure_is_recorded_with_the_servers_reason_and_can_be_retried(smtp, staff, meps):
    smtp.refuse["mady@ep.example.eu"] = "550 5.1.1 <mady@ep.example.eu>: Recipient address rejected: User unknown"
    mailing = send_to(meps, staff["editor"])

    db.session.expire_all()
    mailing = db.session.get(Mailing, mailing.id)
    failed = [r for r in mailing.recipients if r.status == RecipientStatus.FAILED]
    assert [r.address for r in failed] == ["mady@ep.example.eu"] and failed[0].attempts == 1
    assert failed[0].error == "550 5.1.1 <mady@ep.example.eu>: Recipient address rejected: User unknown"
    # Nobody owes a reply to a message they never got.
    assert failed[0].participant.reply_state == "none" and failed[0].participant.message_id is None
    assert len(smtp.received) == 2

    del smtp.refuse["mady@ep.example.eu"]  # her office fixed its mailbox
    assert retry(mailing, failed[0].id, actor=staff["editor"]) == 1
    db.session.commit()

    db.session.expire_all()
    recipient = db.session.get(Mailing, mailing.id).recipients[1]
    assert recipient.status == RecipientStatus.SENT and recipient.attempts == 2
    assert recipient.participant.reply_state == "awaiting" and recipient.participant.message_id == recipient.message_id
    assert [r.rcpt_tos for r in smtp.received[2:]] == [["mady@ep.example.eu"]]


def test_whom_a_message_never_reached_stays_out_of_the_queue_when_the_states_are_worked_out_again(smtp, staff, meps):
    from crm.outreach.responses import recompute_reply_states

    smtp.refuse["mady@ep.example.eu"] = "550 5.1.1 <mady@ep.example.eu>: Recipient address rejected: User unknown"
    mailing = send_to(meps, staff["editor"])
    outreach = db.session.get(Mailing, mailing.id).outreach
    recompute_reply_states(outreach)  # as an edit of the entry, a reply deleted or a merge of duplicates do
    db.session.commit()
    states = {p.person_id: p.reply_state for p in outreach.participants}
    assert states == {meps[0].id: "awaiting", meps[1].id: "none", meps[2].id: "awaiting"}
    assert outreach.recipient_count == 3


def test_a_retry_sends_nothing_to_whom_asked_not_to_be_contacted_meanwhile(smtp, staff, meps):
    smtp.refuse["mady@ep.example.eu"] = "550 5.1.1 <mady@ep.example.eu>: Recipient address rejected: User unknown"
    mailing = send_to(meps, staff["editor"])
    del smtp.refuse["mady@ep.example.eu"]
    mady = meps[1]
    mady.do_not_contact = True  # she wrote back by post: no more email
    db.session.commit()
    failed = next(r for r in db.session.get(Mailing, mailing.id).recipients if r.status == RecipientStatus.FAILED)
    assert retry(mailing, failed.id, actor=staff["editor"]) == 1
    db.session.commit()

    db.session.expire_all()
    recipient = db.session.get(Mailing, mailing.id).recipients[1]
    assert recipient.status == RecipientStatus.FAILED and "“do not contact”" in recipient.error
    assert len(smtp.received) == 2 and db.session.get(Mailing, mailing.id).status == "done"


def test_without_a_mail_server_each_message_is_an_eml_file_for_its_owner_only(app, staff, meps):
    app.config["MAIL_URL"] = ""
    mailing = send_to(meps, staff["editor"])

    files = sorted((Path(app.config["INSTANCE_DIR"]) / "outbox").glob("*.eml"))
    db.session.expire_all()
    mailing = db.session.get(Mailing, mailing.id)
    assert mailing.transport == "outbox" and {r.status for r in mailing.recipients} == {RecipientStatus.SENT}
    written = {r.message_id for r in mailing.recipients}
    mine = [f for f in files if message_from_bytes(f.read_bytes(), policy=policy.default)["Message-ID"] in written]
    assert len(mine) == 3 and all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in mine)
    first = message_from_bytes(mine[0].read_bytes(), policy=policy.default)
    assert first["To"] in {f"{p.display_name} <{p.primary_email}>" for p in meps}


def test_no_salutation_is_flagged_and_blocks_the_send_unless_they_are_left_out(smtp, staff, meps):
    professor = make_person("Nowak", "Ewa", honorific="Prof.", languages=["pl"], emails=("ewa@example.pl",))
    data = ComposeData(AudienceSource(person_ids=[meps[0].id, professor.id]), "Hi", "{{ salutation }},\n")

    shown = preview(data, professor.id)
    assert [(r.person.family_name, r.greeting.describe) for r in shown.audience.no_salutation] == [
        ("Nowak", "pl, prof")
    ]
    with pytest.raises(InvalidInput, match="No salutation for Ewa Nowak \\(pl, prof\\)"):
        send_to([meps[0], professor], staff["editor"], body="{{ salutation }},\n")
    db.session.rollback()

    send_to([meps[0], professor], staff["editor"], body="{{ salutation }},\n", skip_no_salutation=True)
    assert [r.rcpt_tos for r in smtp.received] == [["tunne.kelam@ep.example.eu"]]
    # A text that greets nobody by salutation needs none.
    send_to([professor], staff["editor"], body="Dear colleague,\n")
    assert smtp.received[-1].rcpt_tos == ["ewa@example.pl"]


def test_an_unknown_field_is_refused_before_anything_is_sent(smtp, staff, meps):
    with pytest.raises(InvalidInput) as refused:
        send_to(meps, staff["editor"], subject="For {{ nickname }}")
    assert refused.value.errors["subject"] == ["Unknown merge field: {{ nickname }}."]
    assert db.session.scalar(select(func.count()).select_from(Outreach)) == 0 and smtp.received == []


def test_the_outreach_is_logged_with_the_subject_as_read_when_it_reads_the_same_for_everyone(smtp, staff, meps):
    campaign = make_campaign("Free Mukhtar Dzhakishev", subject_person_id=make_person().id)
    send_to(meps, staff["editor"], subject="{{ campaign_subject }}: his health", campaign_id=campaign.id)
    send_to(meps, staff["editor"], subject="For {{ family_name }}: his health", campaign_id=campaign.id)

    assert {r.message["Subject"] for r in smtp.received[:3]} == {"Mukhtar Dzhakishev: his health"}
    logged = db.session.scalars(select(Outreach.subject).order_by(Outreach.id)).all()
    # Not "{{ campaign_subject }}: …" on the outreach list and the campaign page; a subject that names each
    # recipient has no one reading, so it keeps its fields.
    assert logged == ["Mukhtar Dzhakishev: his health", "For {{ family_name }}: his health"]
