"""The start page: work queues next to the contact figures."""

from datetime import date, timedelta

from crm.campaigns.service import MilestoneData, save_milestone
from crm.contacts.models import Organisation, Person
from crm.extensions import db
from crm.home.service import overview, work_queues
from crm.outreach.history import person_history
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
    assert ahead.title == "Parole hearing" and ahead.days == 20
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


def test_recent_changes_name_the_contact_and_who_changed_it(client, auth, staff):
    from crm.contacts.people import set_archived

    make_organisation("Human Rights Watch")
    set_archived(make_person("Kelam", "Tunne"), True, actor=staff["editor"])
    db.session.commit()
    rows = overview().recent_changes
    assert [(row.label, row.actor_label, row.action) for row in rows[:3]] == [
        ("Tunne Kelam", "Editor", "archive"),
        ("Tunne Kelam", "system", "create"),
        ("Human Rights Watch", "system", "create"),
    ]


def _statements(work) -> int:
    """How many statements `work` runs with nothing loaded yet, as in a request's fresh session."""
    from sqlalchemy import event

    db.session.expunge_all()
    statements = []

    def count(*_):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        work()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def _campaign_with_a_hearing(name: str, days: int) -> None:
    campaign = make_campaign(name)
    save_milestone(campaign, MilestoneData(today() + timedelta(days=days), f"Hearing for {name}"), actor=None)
    db.session.commit()
    supporters = [make_person(f"{name} MEP {n}", "Anna") for n in range(3)]
    letter = make_outreach(
        f"Please act for {name}", signatories=supporters, to=[make_person("Paet")], campaign_id=campaign.id
    )
    make_response(letter, letter.participants[-1].person, outcome="acted")


def _dashboard() -> None:
    overview(), work_queues()


def test_the_dashboard_runs_the_same_statements_however_much_is_on_it(client, auth):
    _campaign_with_a_hearing("Dzhakishev", 10)
    few = _statements(_dashboard)
    for n, name in enumerate(("Viasna", "Crimean Tatars", "Moldovan judges")):
        _campaign_with_a_hearing(name, 20 + n)
    auth.login("viewer")
    page = client.get("/").get_data(as_text=True)
    assert page.count("Mobilise:") == 4 and "Anna Viasna MEP 2" in page
    assert _statements(_dashboard) == few  # no statement per milestone, campaign, supporter or row


def test_the_person_history_runs_the_same_statements_however_long_it_is(client, auth):
    kelam, commission = make_person("Kelam", "Tunne"), make_organisation("European Commission")
    kelam_id, commission_id = kelam.id, commission.id
    make_outreach("First letter", to=[kelam])
    few = _statements(lambda: person_history(kelam_id))
    kelam, commission = db.session.get(Person, kelam_id), db.session.get(Organisation, commission_id)
    for n in range(5):
        letter = make_outreach(f"Letter {n}", to=[kelam, commission], campaign_id=make_campaign(f"Case {n}").id)
        make_response(letter, kelam, outcome="acted")
    auth.login("viewer")
    page = client.get(f"/contacts/people/{kelam_id}").get_data(as_text=True)
    assert "Letter 4" in page and "Case 4" in page and "replied to 5 of 6 asks" in page
    assert _statements(lambda: person_history(kelam_id)) == few


def test_the_start_page_leads_with_mine_then_the_team_s(client, auth, staff):
    kelam, paet = make_person("Kelam", "Tunne"), make_person("Paet", "Urmas")
    make_outreach("My letter", to=[kelam], sent_on=date(2017, 10, 11), owner_id=staff["editor"].id)
    make_outreach("The admin's letter", to=[paet], sent_on=date(2017, 10, 11), owner_id=staff["admin"].id)
    auth.login("editor")
    page = client.get("/").get_data(as_text=True)
    assert page.index('id="mine"') < page.index("The team") < page.index('id="awaiting"')
    mine = page[page.index('id="mine"') : page.index("Find anyone")]
    assert "My letter" in mine and "Tunne Kelam" in mine and "admin" not in mine
    team = page[page.index('id="awaiting"') : page.index('id="follow-ups"')]
    assert "My letter" in team and "The admin&#39;s letter" in team
    auth.logout()
    auth.login("admin")
    mine = client.get("/").get_data(as_text=True).split('id="mine"')[1].split("Find anyone")[0]
    assert "The admin&#39;s letter" in mine and "My letter" not in mine
