"""Outreach, reply states and queues, called without HTTP."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from crm.errors import InvalidInput
from crm.extensions import db
from crm.outreach.data import OutreachData, ParticipantData, ResponseData
from crm.outreach.history import person_history
from crm.outreach.models import Outreach, Participant, Response
from crm.outreach.queues import awaiting_replies, overdue_follow_ups
from crm.outreach.responses import delete_response, record_response
from crm.outreach.service import add_participants, close_outreach, create_outreach, get_outreach
from tests.factories import kind_id, make_organisation, make_outreach, make_person, make_response, make_role

SENT = date(2017, 10, 11)


@pytest.fixture
def meps(app):
    return [make_person("Kelam", "Tunne"), make_person("Paet", "Urmas"), make_person("Delvaux-Stehres", "Mady")]


def _states(outreach) -> dict[str, str]:
    return {p.party_name: p.reply_state for p in get_outreach(outreach.id).participants}


def test_one_letter_to_three_meps_gives_each_a_reply_state(meps):
    letter = make_outreach("Release Mukhtar Dzhakishev", to=meps)
    assert letter.status == "awaiting" and (letter.recipient_count, letter.replied_count) == (3, 0)
    assert {p.reply_due_on for p in letter.participants} == {SENT + timedelta(days=21)}
    assert set(_states(letter).values()) == {"awaiting"}


def test_awaiting_queue_shrinks_when_a_reply_arrives(meps):
    letter = make_outreach("Release Mukhtar Dzhakishev", to=meps)
    later = SENT + timedelta(days=30)
    assert awaiting_replies(as_of=SENT + timedelta(days=20)).total == 0  # not due yet
    assert awaiting_replies(as_of=later).total == 3
    make_response(letter, meps[0], received_on=date(2017, 11, 2), outcome="acted")
    queue = awaiting_replies(as_of=later)
    assert queue.total == 2 and meps[0].id not in {p.person_id for p in queue.items}
    letter = get_outreach(letter.id)
    assert (letter.replied_count, letter.status) == (1, "awaiting")
    for mep in meps[1:]:
        make_response(letter, mep, received_on=date(2017, 11, 5))
    assert get_outreach(letter.id).status == "answered" and awaiting_replies(as_of=later).total == 0


def test_a_person_answers_for_their_organisation(app):
    commission = make_organisation("European Commission")
    mogherini = make_person("Mogherini", "Federica")
    make_role(mogherini, commission, "High Representative / Vice-President", date(2014, 11, 1), date(2019, 11, 30))
    question = make_outreach("Written question E-2017-007094", kind="written_question", to=[commission])
    make_response(question, mogherini, received_on=date(2018, 1, 18))
    assert _states(question) == {"European Commission": "replied"}


def test_a_response_before_its_outreach_is_refused(meps):
    letter = make_outreach("Release Mukhtar Dzhakishev", to=meps)
    with pytest.raises(InvalidInput) as caught:
        record_response(letter, ResponseData(received_on=date(2017, 9, 1), person_id=meps[0].id), actor=None)
    db.session.rollback()
    assert "before the outreach itself" in caught.value.errors["received_on"][0]
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0
    assert set(_states(letter).values()) == {"awaiting"}


def test_a_response_needs_a_party_and_a_past_date(meps):
    letter = make_outreach("Release Mukhtar Dzhakishev", to=meps)
    with pytest.raises(InvalidInput) as caught:
        record_response(letter, ResponseData(received_on=date.today() + timedelta(days=3)), actor=None)
    assert set(caught.value.errors) == {"person_id", "received_on"}


def test_a_participant_without_a_role_saves_nothing(meps):
    data = OutreachData(
        kind_id=kind_id("letter"),
        subject="Release Mukhtar Dzhakishev",
        sent_on=SENT,
        participants=[ParticipantData("to", person_id=meps[0].id), ParticipantData("", person_id=meps[1].id)],
    )
    with pytest.raises(InvalidInput) as caught:
        create_outreach(data, actor=None)
    db.session.rollback()
    assert "Choose a role" in caught.value.errors["participants-1-role"][0]
    assert db.session.scalar(select(func.count()).select_from(Outreach)) == 0
    assert db.session.scalar(select(func.count()).select_from(Participant)) == 0


def test_outreach_validation(meps):
    data = OutreachData(
        kind_id=None, subject=" ", sent_on=None, url="javascript:alert(1)", follow_up_on=date(2017, 1, 1)
    )
    with pytest.raises(InvalidInput) as caught:
        create_outreach(data, actor=None)
    assert {"kind_id", "subject", "sent_on", "url"} <= set(caught.value.errors)


def test_a_draft_owes_nothing_and_takes_no_reply(meps):
    draft = make_outreach("Draft letter", sent_on=None, to=meps, status="draft")
    assert set(_states(draft).values()) == {"none"} and draft.recipient_count == 3
    with pytest.raises(InvalidInput):
        record_response(draft, ResponseData(received_on=SENT, person_id=meps[0].id), actor=None)


def test_deleting_a_response_puts_the_recipient_back_in_the_queue(meps):
    letter = make_outreach("Release Mukhtar Dzhakishev", to=meps)
    response = make_response(letter, meps[0], received_on=date(2017, 11, 2))
    delete_response(response, actor=None)
    db.session.commit()
    letter = get_outreach(letter.id)
    assert set(_states(letter).values()) == {"awaiting"} and letter.replied_count == 0
    assert {p.reply_due_on for p in letter.participants} == {SENT + timedelta(days=21)}


def test_closing_stops_the_wait(meps):
    letter = make_outreach("Release Mukhtar Dzhakishev", to=meps)
    make_response(letter, meps[0], received_on=date(2017, 11, 2))
    close_outreach(get_outreach(letter.id), actor=None)
    db.session.commit()
    assert sorted(_states(letter).values()) == ["closed", "closed", "replied"]
    assert awaiting_replies(as_of=date(2018, 6, 1)).total == 0


def test_bulk_add_skips_people_already_on_the_entry(meps):
    letter = make_outreach("Release Mukhtar Dzhakishev", to=meps[:1])
    added = add_participants(
        get_outreach(letter.id), [ParticipantData("to", person_id=m.id) for m in meps] * 2, actor=None
    )
    db.session.commit()
    assert added == 2 and get_outreach(letter.id).recipient_count == 3


def test_person_history_and_reply_rate(meps):
    first = make_outreach("Letter one", to=meps)
    make_outreach("Letter two", to=meps[:1], sent_on=date(2017, 12, 5))
    make_response(first, meps[0], received_on=date(2017, 11, 2))
    history = person_history(meps[0].id)
    assert [entry.subject for entry in history.participations] == ["Letter two", "Letter one"]
    assert (history.asked, history.replied, history.reply_rate) == (2, 1, 0.5)
    assert [reply.subject for reply in history.responses] == ["Letter one"]


def test_overdue_follow_ups(meps):
    letter = make_outreach("Release", to=meps, follow_up_on=date(2017, 11, 1))
    make_response(letter, meps[0], received_on=date(2017, 11, 2), follow_up_on=date(2017, 11, 15))
    queue = overdue_follow_ups(as_of=date(2017, 11, 10))
    assert [type(item).__name__ for item in queue.items] == ["Outreach"]
    assert overdue_follow_ups(as_of=date(2017, 12, 1)).total == 2


def test_a_reply_answers_for_an_organisation_only_while_the_role_is_held(app):
    commission = make_organisation("European Commission")
    former = make_person("Ashton", "Catherine")
    make_role(former, commission, "High Representative", date(2009, 12, 1), date(2014, 10, 31))
    question = make_outreach("Written question", kind="written_question", to=[commission])
    make_response(question, former, received_on=date(2017, 12, 1))
    assert _states(question) == {"European Commission": "awaiting"}


def test_prompted_by_must_exist_and_survives_an_edit(meps):
    from crm.outreach.service import update_outreach

    data = OutreachData(kind_id=kind_id("letter"), subject="Follow-up", sent_on=SENT, prompted_by_response_id=424242)
    with pytest.raises(InvalidInput) as caught:
        create_outreach(data, actor=None)
    assert "no longer exists" in caught.value.errors["prompted_by_response_id"][0]
    db.session.rollback()

    first = make_outreach("Please act", to=meps[:1])
    reply = make_response(first, meps[0], received_on=date(2017, 10, 20))
    follow_up = make_outreach("Question to the Commission", sent_on=date(2017, 10, 21), authors=meps[:1])
    edited = OutreachData(
        kind_id=kind_id("letter"),
        subject="Question to the Commission",
        sent_on=date(2017, 10, 21),
        prompted_by_response_id=reply.id,
        participants=[ParticipantData("from", person_id=meps[0].id)],
    )
    update_outreach(follow_up, edited, actor=None, expected_version=follow_up.version)
    db.session.commit()
    assert get_outreach(follow_up.id).prompted_by.id == reply.id
    loop = OutreachData(kind_id=kind_id("letter"), subject="Please act", sent_on=SENT, prompted_by_response_id=reply.id)
    with pytest.raises(InvalidInput):
        update_outreach(get_outreach(first.id), loop, actor=None, expected_version=first.version)


def test_a_huge_queue_is_counted_up_to_a_cap(meps, monkeypatch):
    from crm.outreach import queues

    monkeypatch.setattr(queues, "COUNT_CAP", 2)
    make_outreach("Release", to=meps)
    queue = awaiting_replies(limit=1, as_of=date(2018, 1, 1))
    assert (len(queue.items), queue.total, queue.capped, queue.total_label) == (1, 2, True, "2+")
    monkeypatch.setattr(queues, "COUNT_CAP", 3)
    exact = awaiting_replies(limit=1, as_of=date(2018, 1, 1))
    assert (exact.total, exact.capped, exact.total_label) == (3, False, "3")


def test_each_reply_changes_only_whom_it_answers_for_and_agrees_with_a_full_recompute(meps):
    from crm.outreach.responses import recompute_reply_states

    commission = make_organisation("European Commission")
    make_role(meps[1], commission, "Vice-President", date(2014, 11, 1), None)
    letter = make_outreach("Release Mukhtar Dzhakishev", to=[*meps, commission])
    make_response(letter, meps[0], received_on=date(2017, 11, 20))
    make_response(get_outreach(letter.id), meps[0], received_on=date(2017, 11, 2))  # earlier, recorded later
    make_response(get_outreach(letter.id), meps[1], received_on=date(2017, 11, 9))  # for the Commission too

    letter = get_outreach(letter.id)
    seen = {p.party_name: (p.reply_state, p.replied_on, p.reply_due_on) for p in letter.participants}
    assert seen == {
        "Tunne Kelam": ("replied", date(2017, 11, 2), None),
        "Urmas Paet": ("replied", date(2017, 11, 9), None),
        "Mady Delvaux-Stehres": ("awaiting", None, SENT + timedelta(days=21)),
        "European Commission": ("replied", date(2017, 11, 9), None),
    }
    assert (letter.recipient_count, letter.replied_count, letter.status) == (4, 3, "awaiting")
    recompute_reply_states(letter)
    assert {p.party_name: (p.reply_state, p.replied_on, p.reply_due_on) for p in letter.participants} == seen


def test_a_reply_leaves_the_other_recipients_as_they_were(meps):
    # A mailing takes a recipient whose message failed out of the queue ("none"); someone else's reply
    # used to recompute every state and put them back in it.
    letter = make_outreach("Release Mukhtar Dzhakishev", to=meps)
    failed = next(p for p in letter.participants if p.person_id == meps[2].id)
    failed.reply_state, failed.reply_due_on = "none", None
    db.session.commit()
    make_response(get_outreach(letter.id), meps[0], received_on=date(2017, 11, 2))
    assert _states(letter) == {"Tunne Kelam": "replied", "Urmas Paet": "awaiting", "Mady Delvaux-Stehres": "none"}
