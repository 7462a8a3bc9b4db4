"""Stop waiting for one recipient's reply: their state, the entry's counters and status, the history, undo,
a reply that comes after all, and edits or removed replies that must not make them awaited again."""

from datetime import date, timedelta

import pytest

from crm.audit.models import AuditEntry
from crm.errors import InvalidInput
from crm.extensions import db
from crm.outreach.data import OutreachData, ParticipantData
from crm.outreach.queues import awaiting_replies, awaiting_rows
from crm.outreach.responses import delete_response
from crm.outreach.service import close_outreach, update_outreach
from crm.outreach.waiting import resume_waiting, stop_waiting
from crm.reports.service import campaign_report
from tests.factories import make_campaign, make_outreach, make_person, make_response

SENT = date(2017, 10, 11)
DUE = SENT + timedelta(days=21)  # a letter's reply is due three weeks after it was sent


@pytest.fixture
def letter(app, staff):
    campaign = make_campaign("Free Dzhakishev")
    kelam, paet, ojuland = (
        make_person("Kelam", "Tunne"),
        make_person("Paet", "Urmas"),
        make_person("Ojuland", "Kristiina"),
    )
    outreach = make_outreach("Appeal for Dzhakishev", to=[kelam, paet, ojuland], sent_on=SENT, campaign_id=campaign.id)
    return {"outreach": outreach, "kelam": kelam, "paet": paet, "ojuland": ojuland, "editor": staff["editor"]}


def recipient(outreach, person):
    return next(p for p in outreach.participants if p.person_id == person.id)


def stop(letter, person, on=date(2018, 1, 10)):
    participant = recipient(letter["outreach"], person)
    stop_waiting(participant, actor=letter["editor"], as_of=on)
    db.session.commit()
    return participant


def test_stopping_closes_that_recipient_alone_and_leaves_the_queues(letter):
    outreach = letter["outreach"]
    kelam = stop(letter, letter["kelam"])
    assert (kelam.reply_state, kelam.reply_due_on, kelam.stopped_waiting_on) == ("closed", None, date(2018, 1, 10))
    others = [p for p in outreach.participants if p is not kelam]
    assert [(p.reply_state, p.reply_due_on) for p in others] == [("awaiting", DUE), ("awaiting", DUE)]
    assert outreach.status == "awaiting"  # the others may still answer
    assert (outreach.recipient_count, outreach.replied_count) == (3, 0)
    waiting = {row.party_name for row in awaiting_rows(as_of=date(2018, 1, 10)).items}
    assert waiting == {"Urmas Paet", "Kristiina Ojuland"}
    assert len(awaiting_replies(as_of=date(2018, 1, 10)).items) == 2


def test_the_history_names_who_and_the_due_date_it_had(letter):
    stop(letter, letter["kelam"])
    entry = db.session.query(AuditEntry).filter_by(entity_id=letter["outreach"].id, action="stop waiting").one()
    assert entry.actor_id == letter["editor"].id
    assert entry.changes == {"from": [None, "Tunne Kelam"], "reply due": [DUE.isoformat(), None]}


def test_undo_waits_again_with_its_due_date(letter):
    kelam = stop(letter, letter["kelam"])
    resume_waiting(kelam, actor=letter["editor"])
    db.session.commit()
    assert (kelam.reply_state, kelam.reply_due_on, kelam.stopped_waiting_on) == ("awaiting", DUE, None)
    actions = [e.action for e in db.session.query(AuditEntry).filter_by(entity_id=letter["outreach"].id)]
    assert actions[-2:] == ["stop waiting", "resume waiting"]
    resume_waiting(kelam, actor=letter["editor"])  # twice is once: nothing more recorded
    assert db.session.query(AuditEntry).filter_by(action="resume waiting").count() == 1


def test_only_an_awaited_reply_can_be_given_up(letter):
    kelam = stop(letter, letter["kelam"])
    with pytest.raises(InvalidInput, match="Nobody is waiting for a reply from Tunne Kelam"):
        stop_waiting(kelam, actor=None)
    make_response(letter["outreach"], letter["paet"], received_on=date(2017, 11, 2))
    with pytest.raises(InvalidInput):
        stop_waiting(recipient(letter["outreach"], letter["paet"]), actor=None)


def test_a_reply_after_all_counts_and_removing_it_leaves_them_closed(letter):
    outreach = letter["outreach"]
    kelam = stop(letter, letter["kelam"])
    response = make_response(outreach, letter["kelam"], received_on=date(2018, 1, 5))
    assert (kelam.reply_state, kelam.replied_on, outreach.replied_count) == ("replied", date(2018, 1, 5), 1)
    # Recorded by mistake: removed, they are again someone staff stopped waiting for, not awaited.
    delete_response(response, actor=None)
    db.session.commit()
    assert (kelam.reply_state, kelam.reply_due_on, outreach.replied_count) == ("closed", None, 0)


def test_editing_the_entry_keeps_them_closed(letter):
    outreach = letter["outreach"]
    kelam = stop(letter, letter["kelam"])
    people = [letter["kelam"], letter["paet"], letter["ojuland"]]
    data = OutreachData(
        kind_id=outreach.kind_id,
        subject="Appeal for Mukhtar Dzhakishev",
        sent_on=SENT,
        status="sent",
        campaign_id=outreach.campaign_id,
        participants=[ParticipantData(person_id=p.id, role="to") for p in people],
    )
    update_outreach(outreach, data, actor=None, expected_version=outreach.version)
    db.session.commit()
    assert kelam.reply_state == "closed" and recipient(outreach, letter["paet"]).reply_state == "awaiting"
    # Closing the entry and opening it again waits for the others only.
    close_outreach(outreach, actor=None)
    data.status = "sent"
    update_outreach(outreach, data, actor=None, expected_version=outreach.version)
    db.session.commit()
    assert [p.reply_state for p in outreach.participants] == ["closed", "awaiting", "awaiting"]


def test_undo_on_a_closed_entry_is_refused(letter):
    kelam = stop(letter, letter["kelam"])
    close_outreach(letter["outreach"], actor=None)
    with pytest.raises(InvalidInput, match="The entry is closed"):
        resume_waiting(kelam, actor=None)


def test_nobody_awaited_any_more_ends_the_wait_of_the_entry(letter):
    outreach = letter["outreach"]
    make_response(outreach, letter["paet"], received_on=date(2017, 11, 2))
    make_response(outreach, letter["ojuland"], received_on=date(2017, 11, 3))
    assert outreach.status == "awaiting"
    kelam = stop(letter, letter["kelam"])
    assert (outreach.status, outreach.replied_count, outreach.recipient_count) == ("answered", 2, 3)
    resume_waiting(kelam, actor=None)
    assert outreach.status == "awaiting"


def test_nobody_replied_and_nobody_awaited_reads_as_sent(letter):
    outreach = letter["outreach"]
    for person in ("kelam", "paet", "ojuland"):
        stop(letter, letter[person])
    assert (outreach.status, outreach.replied_count) == ("sent", 0)


def test_the_report_counts_them_as_asked_without_a_reply(letter):
    outreach = letter["outreach"]
    make_response(outreach, letter["paet"], received_on=date(2017, 11, 2))
    before = campaign_report(outreach.campaign_id, as_of=date(2018, 1, 10))
    stop(letter, letter["kelam"])
    after = campaign_report(outreach.campaign_id, as_of=date(2018, 1, 10))
    assert (
        (after.totals.recipients, after.totals.replied) == (before.totals.recipients, before.totals.replied) == (3, 1)
    )
    assert before.awaiting_total == 2 and after.awaiting_total == 1
    assert [line.party for line in after.awaiting] == ["Kristiina Ojuland"]
