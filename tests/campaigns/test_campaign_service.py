"""Campaigns, asks, milestones and the campaign overview (timeline, chains, supporters)."""

from datetime import date

import pytest

from crm.audit.service import history
from crm.campaigns.service import (
    AskData,
    CampaignData,
    MilestoneData,
    create_campaign,
    save_ask,
    save_milestone,
    update_campaign,
)
from crm.errors import EditConflict, InvalidInput
from crm.extensions import db
from crm.outreach.campaign_overview import campaign_overview
from tests.factories import (
    category_id,
    make_campaign,
    make_organisation,
    make_outreach,
    make_person,
    make_response,
    make_role,
)


def test_campaign_validation(app, staff):
    make_campaign("Free Mukhtar Dzhakishev")
    with pytest.raises(InvalidInput) as caught:
        create_campaign(CampaignData(name="free mukhtar dzhakishev", status="won-ish", owner_ids=[9999]), actor=None)
    assert set(caught.value.errors) == {"name", "status", "owner_ids"}


def test_campaign_edit_is_versioned_and_audited(app, staff):
    campaign = make_campaign(owner_ids=[staff["editor"].id])
    opened = campaign.version
    update_campaign(
        campaign, CampaignData(name=campaign.name, status="on_hold"), actor=staff["admin"], expected_version=opened
    )
    db.session.commit()
    assert history("campaign", campaign.id)[0].changes["status"] == ["Active", "On hold"]
    with pytest.raises(EditConflict):
        update_campaign(campaign, CampaignData(name="Other"), actor=staff["editor"], expected_version=opened)


def test_asks_and_milestones(app):
    campaign = make_campaign()
    ask = save_ask(campaign, AskData("MEPs write to the Commission", of_whom="MEPs"), actor=None)
    save_ask(campaign, AskData("MEPs write to the Commission", status="achieved"), actor=None, ask=ask)
    with pytest.raises(InvalidInput):
        save_ask(campaign, AskData("", status="maybe"), actor=None)
    save_milestone(campaign, MilestoneData(date(2019, 9, 10), "Parole hearing, Oskemen"), actor=None)
    save_milestone(campaign, MilestoneData(date(2017, 10, 11), "PACE written declaration (26 deputies)"), actor=None)
    with pytest.raises(InvalidInput) as caught:
        save_milestone(campaign, MilestoneData(None, "", url="ftp://x"), actor=None)
    assert set(caught.value.errors) == {"on", "title", "url"}
    db.session.commit()
    assert [a.status for a in campaign.asks] == ["achieved"]
    assert [m.on for m in campaign.milestones] == [date(2017, 10, 11), date(2019, 9, 10)]


def test_overview_timeline_chain_supporters_and_rate(app):
    campaign = make_campaign()
    foundation = make_organisation("Open Dialog Foundation")
    commission = make_organisation("European Commission")
    kelam, paet = make_person("Kelam", "Tunne"), make_person("Paet", "Urmas")
    mogherini = make_person("Mogherini", "Federica")
    make_role(mogherini, commission, "Vice-President", date(2014, 11, 1), date(2019, 11, 30))
    save_milestone(campaign, MilestoneData(date(2018, 3, 15), "Pardon commission meets"), actor=None)

    ask = make_outreach("Please act for Dzhakishev", to=[kelam, paet], authors=[foundation], campaign_id=campaign.id)
    reply = make_response(
        ask, kelam, received_on=date(2017, 10, 20), outcome="acted", action_taken="Tabled a written question"
    )
    question = make_outreach(
        "Written question E-2017-007094",
        kind="written_question",
        sent_on=date(2017, 10, 20),
        authors=[kelam],
        to=[commission],
        campaign_id=campaign.id,
        prompted_by_response_id=reply.id,
        reference="E-2017-007094",
    )
    make_response(question, mogherini, received_on=date(2018, 1, 18), outcome="acknowledged")

    overview = campaign_overview(campaign)
    assert [(e.on, e.kind) for e in overview.timeline] == [
        (date(2017, 10, 11), "outreach"),
        (date(2017, 10, 20), "outreach"),
        (date(2017, 10, 20), "response"),
        (date(2018, 1, 18), "response"),
        (date(2018, 3, 15), "milestone"),
    ]
    [thread] = overview.threads
    assert thread.outreach.id == ask.id and [child.outreach.id for child in thread.children] == [question.id]
    assert (overview.recipients, overview.replied, overview.response_rate) == (3, 2, 2 / 3)
    supporters = {s.person.family_name: s.actions for s in overview.supporters}
    assert set(supporters) == {"Kelam"}
    assert any("wrote written question" in action for action in supporters["Kelam"])
    states = {(p.role, p.party_name): p.reply_state for p in db.session.get(type(question), question.id).participants}
    assert states == {("to", "European Commission"): "replied", ("from", "Tunne Kelam"): "none"}


def test_our_own_staff_are_not_supporters(app):
    campaign = make_campaign()
    kozlovska = make_person("Kozlovska", "Lyudmyla", category_id=category_id("Foundation staff"))
    kelam = make_person("Kelam", "Tunne")
    make_outreach("Letter", authors=[kozlovska], to=[kelam], campaign_id=campaign.id)
    make_outreach("Joint letter", kind="joint_letter", signatories=[kelam], campaign_id=campaign.id)
    assert [s.person.family_name for s in campaign_overview(campaign).supporters] == ["Kelam"]
