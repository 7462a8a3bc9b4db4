"""The start page: work queues next to the contact figures."""

from datetime import date, timedelta

from crm.campaigns.service import MilestoneData, save_milestone
from crm.extensions import db
from crm.home.service import work_queues
from crm.timeutil import today
from tests.factories import (
    category_id,
    make_campaign,
    make_organisation,
    make_outreach,
    make_person,
    make_response,
)


def test_dashboard_shows_awaiting_reply_and_recent_response(client, auth):
    campaign = make_campaign()
    kelam, paet = make_person("Kelam", "Tunne"), make_person("Paet", "Urmas")
    commission = make_organisation("European Commission")
    letter = make_outreach(
        "Please act for Dzhakishev", to=[kelam, paet, commission], sent_on=date(2017, 10, 11), campaign_id=campaign.id
    )
    make_response(letter, kelam, received_on=date(2017, 10, 20), outcome="committed")
    auth.login("viewer")
    page = client.get("/").get_data(as_text=True)
    awaiting = page[page.index('id="awaiting"') : page.index('id="follow-ups"')]
    assert "Urmas Paet" in awaiting and "European Commission" in awaiting and "Tunne Kelam" not in awaiting
    assert "Please act for Dzhakishev" in awaiting and "01 Nov 2017" in awaiting and "Full queue" in awaiting
    responses = page[page.index('id="responses"') :]
    assert "Tunne Kelam" in responses and "Committed to act" in responses
    campaigns = page[page.index('id="campaigns"') : page.index('id="milestones"')]
    assert "Free Mukhtar Dzhakishev" in campaigns and "33% replied" in campaigns
    assert "Log outreach" not in page


def test_milestones_ahead_name_people_to_mobilise(app):
    campaign = make_campaign()
    kelam, paet = make_person("Kelam", "Tunne"), make_person("Paet", "Urmas")
    ours = make_person("Kozlovska", "Lyudmyla", category_id=category_id("Foundation staff"))
    save_milestone(campaign, MilestoneData(today() + timedelta(days=20), "Parole hearing"), actor=None)
    save_milestone(campaign, MilestoneData(today() - timedelta(days=20), "Appeal rejected"), actor=None)
    db.session.commit()
    make_outreach(
        "Joint letter", kind="joint_letter", signatories=[paet], authors=[ours], to=[kelam], campaign_id=campaign.id
    )
    queues = work_queues()
    [ahead] = queues.milestones
    assert ahead.milestone.title == "Parole hearing" and ahead.days == 20
    assert [p.display_name for p in ahead.mobilise] == ["Urmas Paet"]
    assert queues.campaigns[0].next_milestone.title == "Parole hearing"


def test_follow_ups_due_from_outreach_and_replies(app):
    kelam = make_person("Kelam", "Tunne")
    letter = make_outreach("Please act", to=[kelam], follow_up_on=date(2017, 11, 1))
    make_response(letter, kelam, received_on=date(2017, 11, 5), follow_up_on=date(2017, 12, 1))
    rows = work_queues().follow_ups
    assert [(row.what, row.party) for row in rows] == [("Letter", ""), ("Reply", "Tunne Kelam")]
    assert {row.outreach_id for row in rows} == {letter.id}


def test_empty_dashboard(client, auth):
    auth.login("editor")
    page = client.get("/").get_data(as_text=True)
    assert "Nobody owes us an answer right now." in page and "No active campaigns." in page
    assert "Log outreach" in page
