"""The queues read as plain rows agree with the object versions; replies carry their entry's campaign."""

from datetime import date

from crm.campaigns.service import CampaignData, create_campaign
from crm.contacts.models import Person
from crm.extensions import db
from crm.outreach.data import OutreachData, ParticipantData
from crm.outreach.history import organisation_history
from crm.outreach.models import Response
from crm.outreach.parties import display_name
from crm.outreach.queues import (
    awaiting_replies,
    awaiting_rows,
    follow_up_rows,
    follow_ups_due,
    overdue_follow_ups,
    recent_responses,
)
from crm.outreach.service import get_outreach, update_outreach
from tests.factories import kind_id, make_campaign, make_organisation, make_outreach, make_person, make_response

LATER = date(2018, 1, 1)


def test_awaiting_rows_are_the_awaiting_replies(app):
    kelam, paet = make_person("Kelam", "Tunne"), make_person("Paet", "Urmas", patronymic="Juhan")
    commission = make_organisation("European Commission")
    campaign = make_campaign()
    make_outreach("Please act", to=[kelam, commission], sent_on=date(2017, 10, 11), campaign_id=campaign.id)
    make_outreach("Release him", kind="email", to=[paet], sent_on=date(2017, 9, 1))

    rows, objects = awaiting_rows(as_of=LATER), awaiting_replies(as_of=LATER)
    assert [(r.outreach_id, r.person_id, r.organisation_id) for r in rows.items] == [
        (p.outreach_id, p.person_id, p.organisation_id) for p in objects.items
    ]
    assert [(r.party_name, r.subject, r.kind_name) for r in rows.items] == [
        (p.party_name, p.outreach.subject, p.outreach.kind.name) for p in objects.items
    ]
    assert rows.items[0].party_name == "Urmas Juhan Paet" and rows.total == 3
    in_campaign = awaiting_rows(campaign_id=campaign.id, as_of=LATER)
    assert {r.party_name for r in in_campaign.items} == {"Tunne Kelam", "European Commission"}


def test_awaiting_rows_count_up_to_the_cap(app, monkeypatch):
    from crm.outreach import queues

    monkeypatch.setattr(queues, "COUNT_CAP", 2)
    make_outreach("Release", to=[make_person("Kelam"), make_person("Paet"), make_person("Ojuland")])
    queue = awaiting_rows(limit=1, as_of=LATER)
    assert (len(queue.items), queue.total, queue.total_label) == (1, 2, "2+")


def test_follow_ups_due_are_the_overdue_follow_ups(app):
    kelam = make_person("Kelam", "Tunne")
    first = make_outreach("Please act", to=[kelam], follow_up_on=date(2017, 11, 1))
    make_outreach("Closed already", to=[kelam], follow_up_on=date(2017, 11, 1), status="closed")
    make_response(first, kelam, received_on=date(2017, 10, 20), follow_up_on=date(2017, 11, 1))
    make_outreach("Later", kind="call", to=[kelam], follow_up_on=date(2017, 12, 1))

    rows = follow_ups_due(as_of=LATER)
    assert rows.items == follow_up_rows(overdue_follow_ups(as_of=LATER).items)
    assert [(row.what, row.subject, row.party) for row in rows.items] == [
        ("Letter", "Please act", ""),
        ("Reply", "Please act", "Tunne Kelam"),
        ("Call", "Later", ""),
    ]
    capped = follow_ups_due(limit=1, as_of=LATER)
    assert len(capped.items) == 1 and capped.total == 3 == overdue_follow_ups(limit=1, as_of=LATER).total


def test_recent_responses_name_the_party_and_outcome(app):
    kelam, commission = make_person("Kelam", "Tunne"), make_organisation("European Commission")
    letter = make_outreach("Please act", to=[kelam, commission])
    make_response(letter, kelam, received_on=date(2017, 10, 20), outcome="committed")
    make_response(letter, commission, received_on=date(2017, 10, 25))
    assert [(r.party_name, r.outcome_name, r.subject) for r in recent_responses(10)] == [
        ("European Commission", None, "Please act"),
        ("Tunne Kelam", "Committed to act", "Please act"),
    ]


def test_a_reply_carries_its_entrys_campaign_through_edits(app):
    kelam = make_person("Kelam", "Tunne")
    first, second = make_campaign(), create_campaign(CampaignData(name="Viasna defenders"), actor=None)
    letter = make_outreach("Please act", to=[kelam], campaign_id=first.id)
    reply = make_response(letter, kelam, received_on=date(2017, 10, 20))
    assert reply.campaign_id == first.id

    def moved_to(campaign_id):
        entry = get_outreach(letter.id)
        data = OutreachData(
            kind_id=kind_id("letter"),
            subject="Please act",
            sent_on=entry.sent_on,
            campaign_id=campaign_id,
            participants=[ParticipantData("to", person_id=kelam.id)],
        )
        update_outreach(entry, data, actor=None, expected_version=entry.version)
        db.session.commit()
        return db.session.get(Response, reply.id).campaign_id

    assert moved_to(second.id) == second.id
    assert moved_to(None) is None


def test_display_name_is_the_persons(app):
    people = [
        make_person("Paet", "Urmas", patronymic="Juhan"),
        make_person("Kelam", ""),
        make_person("Ojuland", "Kristiina"),
    ]
    for person in (db.session.get(Person, person.id) for person in people):
        assert display_name(person.given_name, person.patronymic, person.family_name) == person.display_name


def test_organisation_history_lists_its_outreach_and_replies(app):
    commission = make_organisation("European Commission")
    question = make_outreach("Written question", kind="written_question", to=[commission], sent_on=date(2017, 10, 1))
    make_response(question, commission, received_on=date(2017, 12, 1), outcome="acted")
    history = organisation_history(commission.id)
    [entry] = history.participations
    assert (entry.subject, entry.kind_name, entry.role_label, entry.reply_state) == (
        "Written question",
        "Written question",
        "To / recipient",
        "replied",
    )
    assert [(r.subject, r.outcome_name) for r in history.responses] == [("Written question", "Acted")]
    assert (history.asked, history.replied) == (1, 1)
