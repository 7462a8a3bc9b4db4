"""My queue: mine by default (my entries, and unowned ones in campaigns I own), filters, order, snooze, done."""

from datetime import date, timedelta

import pytest
from werkzeug.datastructures import MultiDict

from crm.audit.models import AuditEntry
from crm.campaigns.service import get_campaign, set_owners
from crm.errors import InvalidInput
from crm.extensions import db
from crm.outreach.my_queue import QueueFilter, my_queue
from crm.outreach.queues import awaiting_replies, awaiting_rows, follow_ups_due
from crm.outreach.service import follow_up_done
from crm.outreach.snoozes import get_queue_record, reopen_follow_up, snooze, wake
from tests.factories import make_campaign, make_outreach, make_person, make_response

TODAY = date(2018, 1, 10)  # a Wednesday: "this week" runs to Sunday 14 January


@pytest.fixture
def world(app, staff):
    editor, admin = staff["editor"], staff["admin"]
    kelam, paet, ojuland = make_person("Kelam", "Tunne"), make_person("Paet", "Urmas"), make_person("Ojuland")
    campaign = make_campaign("Free Dzhakishev", owner_ids=[editor.id])
    # A letter's reply is due 21 days after it was sent.
    mine = make_outreach("Mine", to=[kelam], sent_on=date(2017, 12, 1), owner_id=editor.id)
    theirs = make_outreach("Theirs", to=[paet], sent_on=date(2017, 12, 2), owner_id=admin.id, campaign_id=campaign.id)
    unowned = make_outreach("In my campaign", to=[ojuland], sent_on=date(2017, 12, 3), campaign_id=campaign.id)
    make_outreach("Nobody's", to=[ojuland], sent_on=date(2017, 12, 4))
    follow_up = make_outreach(
        "Call back", kind="call", sent_on=date(2018, 1, 2), owner_id=editor.id, follow_up_on=date(2018, 1, 12)
    )
    reply = make_response(theirs, paet, received_on=date(2018, 1, 3), follow_up_on=TODAY)
    return {"editor": editor, "admin": admin, "mine": mine, "theirs": theirs, "unowned": unowned,
            "follow_up": follow_up, "reply": reply, "campaign": campaign}  # fmt: skip


def subjects(queue) -> list[tuple[str, str]]:
    return [(item.kind, item.subject) for item in queue.items]


def queue_of(world, **args) -> list[tuple[str, str]]:
    return subjects(my_queue(QueueFilter.from_args(MultiDict(args)), user=world["editor"], as_of=TODAY))


def test_mine_is_what_i_own_and_the_unowned_entries_of_my_campaigns(world):
    assert queue_of(world) == [("reply", "Mine"), ("reply", "In my campaign")]
    assert queue_of(world, window="week") == [
        ("reply", "Mine"),
        ("reply", "In my campaign"),
        ("follow_up", "Call back"),
    ]
    everyone = queue_of(world, owner="all")
    assert everyone == [
        ("reply", "Mine"),
        ("reply", "In my campaign"),
        ("reply", "Nobody's"),
        ("follow_up", "Theirs"),  # the follow-up set on Paet's reply, due today
    ]
    assert queue_of(world, owner=str(world["admin"].id)) == [("follow_up", "Theirs")]
    assert my_queue(QueueFilter(owner="all"), user=world["editor"], as_of=TODAY).total == 4


def test_filters_order_and_due_windows(world):
    campaign_id = str(world["campaign"].id)
    assert queue_of(world, owner="all", campaign_id=campaign_id) == [
        ("reply", "In my campaign"),
        ("follow_up", "Theirs"),
    ]
    assert queue_of(world, owner="all", kind="follow_up") == [("follow_up", "Theirs")]
    assert queue_of(world, owner="all", kind="reply", order="newest") == [
        ("reply", "Nobody's"),
        ("reply", "In my campaign"),
        ("reply", "Mine"),
    ]
    assert queue_of(world, owner="all", window="today") == [("follow_up", "Theirs")]
    assert queue_of(world, owner="all", window="overdue") == [
        ("reply", "Mine"),
        ("reply", "In my campaign"),
        ("reply", "Nobody's"),
    ]
    assert queue_of(world, window="later") == []
    # Unknown values fall back to the defaults rather than failing.
    assert QueueFilter.from_args(MultiDict({"window": "soon", "order": "x", "owner": "me"})) == QueueFilter()
    assert QueueFilter(owner="all", window="week").args(order="newest") == {
        "owner": "all",
        "window": "week",
        "order": "newest",
    }


def test_a_snoozed_item_leaves_the_queues_until_its_day(world):
    editor, mine = world["editor"], world["mine"]
    participant = mine.participants[0]
    snooze(participant, TODAY + timedelta(days=7), actor=editor, as_of=TODAY)
    snooze(world["follow_up"], date(2018, 1, 20), actor=editor, as_of=TODAY)
    db.session.commit()
    assert queue_of(world, window="week") == [("reply", "In my campaign")]
    snoozed = my_queue(QueueFilter(snoozed=True), user=editor, as_of=TODAY)
    assert [(item.subject, item.snoozed_until) for item in snoozed.items] == [
        ("Mine", date(2018, 1, 17)),
        ("Call back", date(2018, 1, 20)),
    ]
    # The team's queues on the start page leave it out too; the figures still count it as overdue.
    assert "Mine" not in {row.subject for row in awaiting_rows(as_of=TODAY).items}
    assert "Mine" in {p.outreach.subject for p in awaiting_replies(as_of=TODAY).items}
    # On the day it was snoozed until, it is back, with its own due date.
    back = my_queue(QueueFilter(), user=editor, as_of=date(2018, 1, 17))
    assert [(item.subject, item.due_on) for item in back.items][0] == ("Mine", date(2017, 12, 22))
    entry = db.session.query(AuditEntry).filter_by(entity_id=mine.id, action="snooze").one()
    assert entry.changes == {"reply of Tunne Kelam, snoozed until": [None, "2018-01-17"]}
    assert entry.actor_id == editor.id

    wake(participant, actor=editor)
    db.session.commit()
    assert queue_of(world)[0] == ("reply", "Mine")


def test_snooze_refuses_a_day_that_is_not_ahead(world):
    participant = world["mine"].participants[0]
    for day in (TODAY, TODAY - timedelta(days=1), None, TODAY + timedelta(days=400)):
        with pytest.raises(InvalidInput):
            snooze(participant, day, actor=world["editor"], as_of=TODAY)


def test_done_from_the_queue_can_be_reopened(world):
    editor, reply = world["editor"], world["reply"]
    snooze(reply, TODAY + timedelta(days=2), actor=editor, as_of=TODAY)
    follow_up_done(get_queue_record("response", reply.id), actor=editor)
    db.session.commit()
    assert reply.follow_up_on is None and reply.follow_up_snoozed_until is None
    assert queue_of(world, owner="all", kind="follow_up") == []
    assert follow_ups_due(as_of=TODAY).total == 0

    reopen_follow_up(reply, TODAY, actor=editor)
    db.session.commit()
    assert queue_of(world, owner="all", kind="follow_up") == [("follow_up", "Theirs")]
    actions = [e.action for e in db.session.query(AuditEntry).filter_by(entity_id=world["theirs"].id)]
    assert actions[-3:] == ["snooze", "follow-up done", "follow-up reopened"]


def test_campaign_owners_are_set_and_audited(world):
    campaign = world["campaign"]
    set_owners(campaign, [world["admin"].id], actor=world["editor"])
    db.session.commit()
    assert [user.email for user in get_campaign(campaign.id).owners] == ["admin@example.org"]
    # The unowned entry of the campaign is the admin's now, not the editor's.
    assert ("reply", "In my campaign") not in queue_of(world)
    assert ("reply", "In my campaign") in queue_of(world, owner=str(world["admin"].id))
    entry = db.session.query(AuditEntry).filter_by(entity_type="campaign", action="owners").one()
    assert entry.changes == {"owners": [["Editor"], ["Admin"]]}
    with pytest.raises(InvalidInput):
        set_owners(campaign, [999999], actor=world["editor"])
