"""Campaign members through the real pages, CSRF on: the bulk action from the people list with its undo,
the campaign page's targets (add, remove after a confirmation), the person page, the filtered export.
Viewers read all of it and change none of it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crm.campaigns import members
from crm.extensions import db
from crm.selections import service as selection
from crm.selections.models import BulkAction
from tests.exports.conftest import read_xlsx
from tests.factories import make_campaign, make_outreach, make_person
from tests.web import form_with, links


@pytest.fixture
def campaign(app):
    make_campaign("An older case", status="closed")
    return make_campaign("Free Mukhtar Dzhakishev")


@pytest.fixture
def people(app):
    return [make_person(f"Deputy{n:02d}", "Given", country="EE") for n in range(4)]


def _targets(campaign) -> list[str]:
    return [member.person.family_name for member in members.campaign_members(campaign.id, "target")]


def test_an_editor_adds_the_selection_as_targets_sees_them_on_the_campaign_and_undoes_it(
    client, auth, campaign, people, staff
):
    selection.select_items(staff["editor"].id, "people", [p.id for p in people[:3]])
    db.session.commit()
    auth.login("editor")
    [link] = links(client.get("/contacts/people?country=EE").get_data(as_text=True), "/selections/people/campaign")
    page = client.get(link).get_data(as_text=True)
    assert "3 people selected" in page
    form = form_with(page, "campaign_id", "role")
    # Active campaigns first, then the others.
    assert page.index("Free Mukhtar Dzhakishev") < page.index("An older case")
    done = client.post(link, data=form.data(campaign_id=str(campaign.id), role="target"))
    assert done.status_code == 302
    result = client.get(done.location).get_data(as_text=True)
    assert "Added 3 people to “Free Mukhtar Dzhakishev” as targets" in result
    assert _targets(campaign) == ["Deputy00", "Deputy01", "Deputy02"]

    detail = client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    assert "Targets (3)" in detail and "Given Deputy01" in detail and "not asked yet" in detail
    [log_link] = links(detail, "/outreach/new")[-1:]
    outreach_form = client.get(log_link).get_data(as_text=True)
    assert "3 people</strong> from the people list (targets of “Free Mukhtar Dzhakishev”)" in outreach_form

    action = db.session.scalar(select(BulkAction))
    undo = form_with(result, "back", button="Undo")
    assert client.post(f"/selections/actions/{action.id}/undo", data=undo.data()).status_code == 302
    assert _targets(campaign) == []
    assert "No targets yet" in client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)


def test_choosing_no_campaign_is_a_form_error(client, auth, campaign, people, staff):
    selection.select_items(staff["editor"].id, "people", [people[0].id])
    db.session.commit()
    auth.login("editor")
    page = client.get("/selections/people/campaign").get_data(as_text=True)
    answer = client.post("/selections/people/campaign", data=form_with(page, "campaign_id").data(campaign_id=""))
    assert answer.status_code == 422 and "Choose a campaign." in answer.get_data(as_text=True)
    assert _targets(campaign) == []


def test_one_target_added_by_the_type_ahead_then_removed_after_a_confirmation(client, auth, campaign, people):
    auth.login("editor")
    detail = client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    form = form_with(detail, "person_id", "person_label", "role", button="Add target")
    assert form.data()["role"] == "target"
    added = client.post(form.action, data=form.data(person_id=str(people[1].id), person_label="Given Deputy01"))
    assert added.status_code == 302 and added.location.endswith("#targets")
    page = client.get(added.location).get_data(as_text=True)
    assert "Added Given Deputy01 to the targets of Free Mukhtar Dzhakishev." in page
    again = client.post(form.action, data=form.data(person_id=str(people[1].id), person_label="Given Deputy01"))
    assert "is among the targets already" in client.get(again.location).get_data(as_text=True)
    typed_only = client.post(form.action, data=form.data(person_label="Somebody"))
    assert "choose the person from the list" in client.get(typed_only.location).get_data(as_text=True)
    assert _targets(campaign) == ["Deputy01"]

    person_page = client.get(f"/contacts/people/{people[1].id}").get_data(as_text=True)
    assert "Free Mukhtar Dzhakishev" in person_page and ">target<" in person_page

    [remove] = links(page, "/remove")
    confirm = client.get(remove).get_data(as_text=True)
    assert "Take Given Deputy01 off the targets?" in confirm
    assert _targets(campaign) == ["Deputy01"]  # asking changes nothing
    client.post(remove, data=form_with(confirm, button="Take off").data())
    assert _targets(campaign) == []
    history = client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    assert "Remove target" in history


def test_a_viewer_reads_members_but_cannot_change_them(client, auth, campaign, people, staff):
    [member] = members.add_members(campaign, [people[0].id], "target", actor=None)
    selection.select_items(staff["viewer"].id, "people", [people[1].id])
    db.session.commit()
    auth.login("viewer")
    detail = client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    assert "Given Deputy00" in detail
    assert "/members" not in detail and "Log outreach to the targets" not in detail
    assert "/selections/people/campaign" not in client.get("/contacts/people").get_data(as_text=True)
    assert client.get("/selections/people/campaign").status_code == 403
    assert (
        client.post("/selections/people/campaign", data={"campaign_id": campaign.id, "role": "target"}).status_code
        == 403
    )
    assert client.post(f"/campaigns/{campaign.id}/members", data={"person_id": people[1].id}).status_code == 403
    assert client.post(f"/campaigns/{campaign.id}/members/{member.id}/remove", data={}).status_code == 403
    assert _targets(campaign) == ["Deputy00"]
    # The campaign's targets download through the people export, for viewers too.
    [download] = links(detail, "/export/people.xlsx")
    _, _, rows = read_xlsx(client.get(download).get_data())
    assert [row["Family name"].value for row in rows] == ["Deputy00"]


def test_posts_without_the_pages_csrf_token_are_refused(client, auth, campaign, people, staff):
    [member] = members.add_members(campaign, [people[0].id], "target", actor=None)
    selection.select_items(staff["editor"].id, "people", [people[1].id])
    db.session.commit()
    auth.login("editor")
    forged = [
        client.post("/selections/people/campaign", data={"campaign_id": campaign.id, "role": "target"}, csrf=False),
        client.post(
            f"/campaigns/{campaign.id}/members", data={"person_id": people[1].id, "person_label": "x"}, csrf=False
        ),
        client.post(f"/campaigns/{campaign.id}/members/{member.id}/remove", data={}, csrf=False),
    ]
    assert [answer.status_code for answer in forged] == [400, 400, 400]
    assert _targets(campaign) == ["Deputy00"]


def test_the_people_list_filtered_to_a_campaigns_targets(client, auth, campaign, people):
    members.add_members(campaign, [people[2].id], "target", actor=None)
    make_outreach("Appeal", campaign_id=campaign.id, to=[people[2]])
    db.session.commit()
    auth.login("viewer")
    page = client.get(f"/contacts/people?in_campaign={campaign.id}&campaign_role=target").get_data(as_text=True)
    assert "Only the targets of “Free Mukhtar Dzhakishev”" in page
    assert "Deputy02" in page and "Deputy01" not in page
    # The filter's other boxes keep it: a search within the targets.
    search = form_with(page, "q", "in_campaign", method="get")
    assert search.data()["in_campaign"] == str(campaign.id) and search.data()["campaign_role"] == "target"
