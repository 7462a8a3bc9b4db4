"""A campaign's targets and named supporters: add (skipping those already in), remove, list, filter the
people list by them, the bulk action from a selection and its undo, a merge and an erasure."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from crm.audit import service as audit
from crm.campaigns import members
from crm.campaigns.models import CampaignMember
from crm.contacts.models import Person
from crm.contacts.search import PeopleFilter, people_query
from crm.duplicates.merge import merge_people
from crm.errors import InvalidInput
from crm.extensions import db
from crm.outreach.campaign_overview import campaign_overview
from crm.outreach.campaign_targets import campaign_targets
from crm.privacy.erasure import erase_person
from crm.selections import bulk
from crm.selections import service as selection
from tests.factories import (
    make_campaign,
    make_organisation,
    make_outreach,
    make_person,
    make_response,
    make_role,
)


@pytest.fixture
def campaign(app):
    return make_campaign("Free Mukhtar Dzhakishev")


@pytest.fixture
def deputies(app):
    return [make_person(f"Deputy{n:02d}", "Given", country="EE" if n % 2 else "LV") for n in range(6)]


def _members(campaign_id: int, role: str) -> list[int]:
    return [member.person_id for member in members.campaign_members(campaign_id, role)]


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(CampaignMember))


def test_adding_skips_those_in_the_role_already_and_says_how_many_were_added(campaign, deputies, staff):
    editor = staff["editor"]
    first = members.add_members(campaign, [d.id for d in deputies[:3]], "target", actor=editor)
    again = members.add_members(campaign, [d.id for d in deputies[1:5]] + [999_999], "target", actor=editor)
    as_supporter = members.add_members(campaign, [deputies[0].id], "supporter", actor=editor, note=" wrote  to us ")
    db.session.commit()

    assert (len(first), len(again), len(as_supporter)) == (3, 2, 1)  # nobody twice, no id of nobody
    assert _members(campaign.id, "target") == [d.id for d in deputies[:5]]  # by name
    [supporter] = members.campaign_members(campaign.id, "supporter")
    assert (supporter.person_id, supporter.note, supporter.added_by_id) == (deputies[0].id, "wrote to us", editor.id)
    assert [m.campaign.name for m in members.person_campaigns(deputies[0].id)] == [campaign.name, campaign.name]
    entry = audit.history("campaign", campaign.id)[0]
    assert entry.action == "add supporter" and entry.changes == {"supporter": [None, ["Given Deputy00"]]}

    with pytest.raises(InvalidInput):
        members.add_members(campaign, [deputies[5].id], "observer", actor=editor)


def test_removing_one_member_is_recorded_on_the_campaign(campaign, deputies, staff):
    [member] = members.add_members(campaign, [deputies[0].id], "target", actor=None)
    db.session.commit()
    members.remove_member(campaign, member, actor=staff["editor"])
    db.session.commit()
    assert _members(campaign.id, "target") == []
    entry = audit.history("campaign", campaign.id)[0]
    assert entry.action == "remove target" and entry.changes == {"target": ["Given Deputy00", None]}


def test_the_people_filter_reads_a_campaigns_targets_or_supporters(campaign, deputies):
    other = make_campaign("Free Someone Else")
    members.add_members(campaign, [deputies[0].id, deputies[1].id], "target", actor=None)
    members.add_members(campaign, [deputies[2].id], "supporter", actor=None)
    members.add_members(other, [deputies[3].id], "target", actor=None)
    db.session.commit()

    def ids(query: str) -> list[int]:
        return list(
            db.session.scalars(people_query(PeopleFilter.from_query_string(query)).with_only_columns(Person.id))
        )

    targets = PeopleFilter.from_query_string(f"in_campaign={campaign.id}&campaign_role=target")
    assert targets.query_string() == f"in_campaign={campaign.id}&campaign_role=target"
    assert targets.describe() == "targets of “Free Mukhtar Dzhakishev”"
    assert ids(targets.query_string()) == [deputies[0].id, deputies[1].id]
    assert ids(f"in_campaign={campaign.id}&campaign_role=target&country=EE") == [deputies[1].id]
    assert ids(f"in_campaign={campaign.id}&campaign_role=supporter") == [deputies[2].id]
    assert ids(f"in_campaign={campaign.id}") == [d.id for d in deputies[:3]]  # no role: both
    assert ids("in_campaign=424242") == []
    assert "a campaign that was deleted" in PeopleFilter.from_query_string("in_campaign=424242").describe()


def test_the_campaign_page_shows_targets_with_their_group_country_and_progress(campaign, deputies):
    group = make_organisation("Group of the European People's Party", short_name="EPP", type_code="political_group")
    make_role(deputies[0], group, "Member", date(2019, 7, 2))
    members.add_members(campaign, [d.id for d in deputies[:3]], "target", actor=None)
    members.add_members(campaign, [deputies[4].id], "supporter", actor=None)
    letter = make_outreach("Appeal", campaign_id=campaign.id, to=[deputies[0], deputies[1]])
    make_response(letter, deputies[0])
    make_outreach("Another campaign's appeal", to=[deputies[2]])  # not this campaign: not asked here
    targets = campaign_targets(campaign.id)
    assert [(t.person.id, t.political_group, t.progress) for t in targets] == [
        (deputies[0].id, "EPP", "replied"),
        (deputies[1].id, "", "asked"),
        (deputies[2].id, "", "not_asked"),
    ]
    assert targets[2].progress_label == "not asked yet"

    # Named supporters join those outreach shows (who signed), each marked by what they did.
    make_outreach("Joint letter", campaign_id=campaign.id, signatories=[deputies[4], deputies[5]])
    supporters = {s.person.id: s for s in campaign_overview(campaign).supporters}
    assert set(supporters) == {deputies[4].id, deputies[5].id}
    assert supporters[deputies[4].id].member is not None and supporters[deputies[4].id].actions
    assert supporters[deputies[5].id].member is None


def test_the_bulk_action_adds_the_selection_once_and_undo_removes_exactly_what_it_added(campaign, deputies, staff):
    editor = staff["editor"]
    members.add_members(campaign, [deputies[0].id], "target", actor=None)  # in it already
    selection.select_items(editor.id, "people", [d.id for d in deputies[:4]])
    action = bulk.add_selection_to_campaign(editor, campaign.id, "target")
    db.session.commit()

    assert (action.selected, action.changed) == (4, 3)
    assert bulk.describe(action) == "Added 3 people to “Free Mukhtar Dzhakishev” as targets"
    assert _members(campaign.id, "target") == [d.id for d in deputies[:4]]
    [entry] = audit.history("bulk_action", action.id)
    assert entry.action == "add targets" and entry.changes["campaign"] == [None, "Free Mukhtar Dzhakishev"]

    # Meanwhile one added by the action is taken off and put back by hand: the undo leaves that one.
    by_hand = next(m for m in members.campaign_members(campaign.id, "target") if m.person_id == deputies[1].id)
    members.remove_member(campaign, by_hand, actor=editor)
    members.add_members(campaign, [deputies[1].id], "target", actor=editor)
    db.session.commit()

    assert bulk.undo(action, actor=editor) == 2
    db.session.commit()
    assert _members(campaign.id, "target") == [deputies[0].id, deputies[1].id]
    with pytest.raises(Exception, match="already been undone"):
        bulk.undo(action, actor=editor)


def test_the_bulk_action_needs_a_role_a_campaign_and_a_selection(campaign, deputies, staff):
    editor = staff["editor"]
    with pytest.raises(InvalidInput, match="No people are selected"):
        bulk.add_selection_to_campaign(editor, campaign.id, "target")
    selection.select_items(editor.id, "people", [deputies[0].id])
    with pytest.raises(InvalidInput):
        bulk.add_selection_to_campaign(editor, campaign.id, "observer")
    assert _count() == 0


def test_a_merge_carries_memberships_over_once(campaign, deputies, staff):
    keep, other = deputies[0], deputies[1]
    second = make_campaign("Free Someone Else")
    members.add_members(campaign, [keep.id, other.id], "target", actor=None)  # both: one stays
    members.add_members(campaign, [other.id], "supporter", actor=None)
    members.add_members(second, [other.id], "target", actor=None)
    db.session.commit()

    merge_people(keep, other, {}, actor=staff["editor"])
    db.session.commit()

    assert sorted((m.campaign.name, m.role) for m in members.person_campaigns(keep.id)) == [
        ("Free Mukhtar Dzhakishev", "supporter"),
        ("Free Mukhtar Dzhakishev", "target"),
        ("Free Someone Else", "target"),
    ]
    assert members.person_campaigns(other.id) == []
    assert _members(campaign.id, "target") == [keep.id]
    moved = audit.history("person", keep.id)[0].changes["campaign memberships moved in"][1]
    assert "Free Someone Else (target)" in moved


def test_an_erasure_takes_the_person_out_of_every_campaign(campaign, deputies, staff):
    members.add_members(campaign, [deputies[0].id, deputies[1].id], "target", actor=None)
    members.add_members(campaign, [deputies[0].id], "supporter", actor=None)
    db.session.commit()
    erasure = erase_person(deputies[0].id, "Asked to be forgotten", actor=staff["admin"])
    db.session.commit()
    assert erasure.counts["campaign memberships deleted"] == 2
    assert members.person_campaigns(deputies[0].id) == []
    assert _members(campaign.id, "target") == [deputies[1].id]
