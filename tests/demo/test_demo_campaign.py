"""The demo campaign: the Dzhakishev case, its milestones, asks, outreach and the MEP → Commission chain."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from crm.campaigns.members import campaign_members, get_member, remove_member
from crm.campaigns.models import Ask, Campaign, CampaignMember, Milestone
from crm.demo.loader import load_demo
from crm.demo.people import MEPS
from crm.extensions import db
from crm.outreach.campaign_overview import campaign_overview
from crm.outreach.campaign_targets import TargetCounts, campaign_targets, target_counts
from crm.outreach.models import Outreach, Participant, Response
from crm.outreach.queues import awaiting_replies, overdue_follow_ups
from crm.outreach.responses import delete_response

CAMPAIGN_COUNTS = ("campaigns added", "milestones added", "asks added", "outreach added", "responses added")
ROW_MODELS = (Campaign, Milestone, Ask, Outreach, Participant, Response, CampaignMember)


@pytest.fixture
def campaign(app) -> Campaign:
    load_demo()
    db.session.commit()
    return db.session.scalar(select(Campaign).where(Campaign.name == "Free Mukhtar Dzhakishev"))


def _outreach(subject_part: str) -> Outreach:
    (outreach,) = db.session.scalars(select(Outreach).where(Outreach.subject.contains(subject_part))).all()
    return outreach


def _row_counts() -> tuple[int, ...]:
    return tuple(db.session.scalar(select(func.count()).select_from(model)) for model in ROW_MODELS)


def test_campaign_is_about_dzhakishev(campaign):
    assert campaign.status == "active"
    assert campaign.subject.display_name == "Mukhtar Dzhakishev"
    assert "2304/2013" in campaign.description and "14 years" in campaign.description


def test_milestones_are_on_the_dates_in_the_sources(campaign):
    by_date = {milestone.on: milestone for milestone in campaign.milestones}

    assert len(campaign.milestones) == 12
    assert "26 PACE deputies" in by_date[date(2017, 10, 11)].title
    assert "24 PACE deputies" in by_date[date(2018, 1, 25)].title
    assert "Oskemen" in by_date[date(2019, 9, 10)].title
    assert "Semey" in by_date[date(2019, 7, 24)].title
    assert "Eye surgery" in by_date[date(2017, 10, 31)].title
    assert by_date[date(2017, 10, 11)].url.startswith("http://assembly.coe.int/")
    # Month-only dates are the 1st and say so.
    assert "Approximate date" in by_date[date(2009, 5, 1)].description
    assert "2304/2013" in by_date[date(2015, 12, 1)].title


def test_asks_and_their_states(campaign):
    states = {ask.title: ask.status for ask in campaign.asks}

    assert len(states) == 5
    assert states["MEPs write to the Kazakh authorities demanding his release"] == "achieved"
    assert states["Press for his release in the EU–Kazakhstan partnership negotiations"] == "open"
    assert sorted(states.values()) == ["achieved"] + ["open"] * 4


def test_the_meps_reply_leads_to_the_written_question_the_commission_answered(campaign):
    overview = campaign_overview(campaign)

    (thread,) = overview.threads
    assert thread.outreach.subject == "The Open Dialog Foundation asks MEPs to intervene for Dzhakishev"
    children = {child.outreach.reference: child.outreach for child in thread.children}
    question = children["E-2017-007094"]
    assert question.kind.code == "written_question"
    assert question.prompted_by.person.family_name == "Kelam"
    assert question.prompted_by.outcome.code == "acted"
    states = {(p.role, p.party_name): p.reply_state for p in question.participants}
    assert states[("to", "European Commission")] == "replied"
    assert {name for role, name in states if role == "from"} == {"Tunne Kelam", "Urmas Paet", "Mady Delvaux-Stehres"}
    (answer,) = question.responses
    assert answer.person.family_name == "Mogherini"
    assert answer.channel == "written_answer" and "Approximate date" in answer.summary
    assert question.status == "answered"
    assert "E-2017-007095" in children


def test_all_seventeen_meps_replied_and_support_the_campaign(campaign):
    ask = _outreach("asks MEPs to intervene")
    supporters = {supporter.person.family_name for supporter in campaign_overview(campaign).supporters}

    assert (ask.recipient_count, ask.replied_count, ask.status) == (17, 17, "answered")
    assert {response.outcome.code for response in ask.responses} == {"acted"}
    assert {mep.family_name for mep in MEPS} <= supporters
    assert {"Behrendt", "Mogherini"} <= supporters


def test_declarations_name_no_signatories(campaign):
    declarations = db.session.scalars(
        select(Outreach).where(Outreach.kind.has(code="written_declaration")).order_by(Outreach.sent_on)
    ).all()

    assert [(d.sent_on, d.recipient_count, d.status) for d in declarations] == [
        (date(2017, 10, 11), 0, "sent"),
        (date(2018, 1, 25), 0, "sent"),
    ]
    assert "26 signatories, names not in the source" in declarations[0].summary
    assert all(not declaration.participants for declaration in declarations)


def test_unanswered_appeals_fill_the_queues(campaign):
    appeal = _outreach("Pardon appeal")
    awaiting = {(p.party_name, p.outreach.subject) for p in awaiting_replies(campaign_id=campaign.id).items}
    follow_ups = overdue_follow_ups().items

    assert appeal.status == "awaiting" and not appeal.responses
    assert ("Nursultan Abishevich Nazarbayev", appeal.subject) in awaiting
    assert any(party == "President of the Republic of Kazakhstan" for party, _ in awaiting)
    assert appeal in follow_ups and appeal.follow_up_on == date(2018, 3, 1)


def test_freedom_house_statement_quotes_marc_behrendt(campaign):
    statement = _outreach("Uphold Rights to Liberty")

    assert statement.kind.code == "public_statement"
    assert {p.party_name for p in statement.participants} == {"Freedom House", "Marc Behrendt"}
    assert "We call on Kazakhstan to release Mukhtar Dzhakishev immediately" in statement.summary


def test_second_run_adds_nothing(app):
    first = load_demo()
    db.session.commit()
    before = _row_counts()

    second = load_demo()
    db.session.commit()

    assert [first[name] for name in CAMPAIGN_COUNTS] == [1, 12, 5, 12, 19]
    assert (first["targets added"], first["supporters added"]) == (20, 2)
    assert set(second.values()) == {0}
    assert _row_counts() == before


def test_a_partly_loaded_campaign_is_completed(campaign):
    ward = next(r for r in _outreach("asks MEPs to intervene").responses if r.person.family_name == "Ward")
    delete_response(ward, actor=None)
    campaign.milestones.remove(campaign.milestones[0])
    db.session.commit()

    counts = load_demo()
    db.session.commit()

    assert [counts[name] for name in CAMPAIGN_COUNTS] == [0, 1, 0, 0, 1]
    assert _outreach("asks MEPs to intervene").replied_count == 17


def test_load_demo_does_not_commit(app):
    load_demo()
    db.session.rollback()

    assert set(_row_counts()) == {0}


def test_demo_command_runs_twice(app, runner):
    first = runner.invoke(args=["crm", "demo"])
    second = runner.invoke(args=["crm", "demo"])

    assert first.exit_code == 0, first.output
    assert "1 campaigns added, 12 milestones added, 5 asks added, 12 outreach added, 19 responses added" in first.output
    assert second.exit_code == 0, second.output
    assert {part.split(" ", 1)[0] for part in second.output.strip().split(", ")} == {"0"}


def test_the_targets_show_each_state_of_the_outreach(campaign):
    progress = {target.person.family_name: target.progress_label for target in campaign_targets(campaign.id)}

    assert {mep.family_name for mep in MEPS} <= set(progress)
    assert {progress[mep.family_name] for mep in MEPS} == {"replied"}
    assert progress["Mogherini"] == "replied"
    assert progress["Nazarbayev"] == "asked, no reply yet"
    assert progress["Behrendt"] == "not asked yet"
    assert target_counts(campaign.id) == TargetCounts(targets=20, asked=19, replied=18)


def test_two_defenders_are_named_supporters(campaign):
    named = {member.person.family_name: member.note for member in campaign_members(campaign.id, "supporter")}
    supporters = campaign_overview(campaign).supporters

    assert set(named) == {"Toregozhina", "Tumenova"}
    assert all(note for note in named.values())
    assert len(supporters) == len({supporter.person.id for supporter in supporters})
    assert {s.person.family_name for s in supporters if s.member} == {"Toregozhina", "Tumenova"}


def test_a_target_taken_off_comes_back_with_the_next_run(campaign):
    (nazarbayev,) = [m for m in campaign_members(campaign.id, "target") if m.person.family_name == "Nazarbayev"]
    remove_member(campaign, get_member(campaign, nazarbayev.id), actor=None)
    db.session.commit()

    counts = load_demo()
    db.session.commit()

    assert (counts["targets added"], counts["supporters added"]) == (1, 0)
    assert len(campaign_members(campaign.id, "target")) == 20
