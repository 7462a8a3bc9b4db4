"""The campaign page's targets as a group: email them and write them letters (editors), the message of an
add or a removal shown inside the card the page opens at, and the campaigns grouped on the bulk page."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from crm.campaigns import members
from crm.campaigns.service import campaign_choice_groups
from crm.extensions import db
from crm.selections import service as selection
from tests.factories import make_campaign, make_person
from tests.web import form_with, links


@pytest.fixture
def campaign(app):
    make_campaign("An older case", status="closed")
    make_campaign("Paused case", status="on_hold")
    return make_campaign("Free Mukhtar Dzhakishev")


@pytest.fixture
def targets(campaign):
    people = [
        make_person("Kelam", "Tunne", emails=("tunne.kelam@example.org",)),
        make_person("Paet", "Urmas"),  # no address: the email leaves him out and says why
        make_person("Bystander", "Berta", emails=("berta@example.org",)),  # not a target
    ]
    members.add_members(campaign, [people[0].id, people[1].id], "target", actor=None)
    db.session.commit()
    return people


def _card(html: str, card_id: str) -> str:
    return html.split(f'id="{card_id}"', 1)[1].split('<div class="card mt-4"', 1)[0]


def test_an_editor_emails_the_targets_and_writes_them_letters(client, auth, campaign, targets):
    auth.login("editor")
    detail = client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    [email] = links(_card(detail, "targets"), "/email/compose")
    [letters] = links(_card(detail, "targets"), "/letters/write")
    for link in (email, letters):
        query = parse_qs(urlsplit(link).query)
        assert query == {
            "campaign_id": [str(campaign.id)],
            "people": [f"in_campaign={campaign.id}&campaign_role=target"],
        }

    compose = client.get(email).get_data(as_text=True)
    assert "To: people list: targets of “Free Mukhtar Dzhakishev”" in compose
    assert "Tunne Kelam" in compose and "Urmas Paet" in compose and "Berta Bystander" not in compose
    assert form_with(compose, "subject").data()["campaign_id"] == str(campaign.id)
    write = client.get(letters).get_data(as_text=True)
    assert "To: people list: targets of “Free Mukhtar Dzhakishev”" in write


def test_viewers_get_no_email_or_letters_buttons(client, auth, campaign, targets):
    auth.login("viewer")
    detail = client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)

    assert "Tunne Kelam" in detail
    assert "Email the targets" not in detail and "Letters to the targets" not in detail
    assert links(detail, "/email/compose") == [] and links(detail, "/letters/write") == []


def test_no_targets_no_buttons(client, auth, campaign):
    auth.login("editor")
    detail = client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)

    assert "No targets yet" in detail and "Email the targets" not in detail


def test_the_message_of_an_add_shows_in_the_card_the_page_opens_at(client, auth, campaign, targets):
    auth.login("editor")
    detail = client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    form = form_with(detail, "person_id", "person_label", "role", button="Add target")
    added = client.post(form.action, data=form.data(person_id=str(targets[2].id), person_label="Berta Bystander"))
    assert added.location.endswith("#targets")

    page = client.get(added.location).get_data(as_text=True)
    message = "Added Berta Bystander to the targets of Free Mukhtar Dzhakishev."
    assert page.count(message) == 1
    assert message in _card(page, "targets")
    assert message not in page.split('id="targets"', 1)[0]  # not at the top, out of view
    assert message not in client.get(added.location).get_data(as_text=True)  # shown once

    supporter_form = form_with(page, "person_id", "person_label", "role", button="Add supporter")
    named = client.post(supporter_form.action, data=supporter_form.data(person_id=str(targets[2].id), person_label="B"))
    page = client.get(named.location).get_data(as_text=True)
    assert named.location.endswith("#supporters")
    assert "Added Berta Bystander to the supporters" in _card(page, "supporters")

    [remove] = [link for link in links(_card(page, "targets"), "/remove") if f"/members/{_member(campaign)}/" in link]
    confirm = client.get(remove).get_data(as_text=True)
    gone = client.post(remove, data=form_with(confirm, button="Take off").data())
    page = client.get(gone.location).get_data(as_text=True)
    assert "Took Tunne Kelam off the targets" in _card(page, "targets")


def _member(campaign) -> int:
    return next(m.id for m in members.campaign_members(campaign.id, "target") if m.person.family_name == "Kelam")


def test_other_messages_stay_at_the_top(client, auth, campaign, targets):
    auth.login("editor")
    edit = client.get(f"/campaigns/{campaign.id}/edit").get_data(as_text=True)
    saved = client.post(f"/campaigns/{campaign.id}/edit", data=form_with(edit, "name").data())
    page = client.get(saved.location).get_data(as_text=True)
    assert "Saved Free Mukhtar Dzhakishev." in page.split('id="targets"', 1)[0]


def test_the_bulk_page_groups_the_campaigns_active_first(client, auth, campaign, targets, staff):
    assert campaign_choice_groups() == {
        "Active": [(campaign.id, "Free Mukhtar Dzhakishev")],
        "Other": [(campaign.id - 2, "An older case"), (campaign.id - 1, "Paused case")],
    }
    selection.select_items(staff["editor"].id, "people", [targets[2].id])
    db.session.commit()
    auth.login("editor")

    page = client.get("/selections/people/campaign").get_data(as_text=True)

    select = page.split("<select", 1)[1].split("</select>", 1)[0]
    prompt, active, other = select.split("<optgroup")
    assert "Choose a campaign…" in prompt and "Free Mukhtar" not in prompt
    assert active.startswith(' label="Active"') and "Free Mukhtar Dzhakishev" in active and "older" not in active
    assert other.startswith(' label="Other"') and other.index("An older case") < other.index("Paused case")
    done = client.post(
        "/selections/people/campaign", data=form_with(page, "campaign_id").data(campaign_id=str(campaign.id - 1))
    )
    assert done.status_code == 302
    assert [m.person.family_name for m in members.campaign_members(campaign.id - 1, "target")] == ["Bystander"]


def test_with_only_active_campaigns_there_is_no_other_group(app):
    make_campaign("Free Mukhtar Dzhakishev")

    assert list(campaign_choice_groups()) == ["Active"]
