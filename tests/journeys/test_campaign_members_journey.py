"""Issue 17, campaign members: tick people on the people list, add them to the demo campaign as targets,
see them on the campaign page, add one more by the type-ahead, undo the bulk action from its page and see
exactly those three go; and the pages at a phone's width."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from crm.campaigns.models import Campaign
from crm.contacts.data import PersonData
from crm.contacts.people import create_person
from crm.demo.loader import load_demo
from crm.extensions import db
from crm.selections.models import BulkAction
from tests.journeys.layout import no_sideways_scroll

pytestmark = pytest.mark.browser
CAMPAIGN = "Free Mukhtar Dzhakishev"


@pytest.fixture
def deputies(app):
    load_demo()
    for number in range(5):
        create_person(PersonData(family_name=f"Deputy {number:02d}", given_name="Lina", country="LT"), actor=None)
    db.session.commit()


def _add_three_as_targets(page: Page) -> None:
    page.goto("/contacts/people?q=deputy")
    expect(page.locator("#result-count")).to_contain_text("5 people")
    for index in range(3):
        page.locator(".select-row").nth(index).check()
    expect(page.locator(".selection-count")).to_have_text("3 selected")
    page.locator(".selection-actions").get_by_role("link", name="Add to campaign…").click()
    expect(page.get_by_text("3 people selected.")).to_be_visible()


def test_add_the_selection_as_targets_see_them_and_undo(page, sign_in, deputies, artifacts, script_errors):
    sign_in("editor")
    _add_three_as_targets(page)
    page.get_by_label("Campaign", exact=True).select_option(label=CAMPAIGN)
    expect(page.get_by_label("Targets: the people the campaign means to win over")).to_be_checked()
    page.screenshot(path=artifacts / "campaign-members-dialog-1366.png")
    page.get_by_role("button", name="Add 3 people").click()
    expect(page.locator(".bulk-summary")).to_have_text(f"Added 3 people to “{CAMPAIGN}” as targets")
    result_url = page.url

    page.get_by_role("link", name="See the campaign").click()
    targets = page.locator("#targets")
    expect(targets).to_contain_text("Targets (3)")
    expect(targets.locator(".target")).to_have_text(
        [re.compile(f"Lina Deputy 0{n}.*Lithuania.*not asked yet", re.S) for n in range(3)]
    )

    # One more, by the type-ahead: an MEP of the demo who answered the campaign's appeal.
    page.get_by_label("Add a target").fill("Paet")
    page.locator("#targets .lookup-menu").get_by_role("option", name=re.compile("Urmas Paet")).click()
    page.get_by_role("button", name="Add target").click()
    expect(page.locator(".alert-success")).to_contain_text(f"Added Urmas Paet to the targets of {CAMPAIGN}.")
    expect(page.locator("#targets")).to_contain_text("Targets (4)")
    expect(page.locator("#targets .target").last).to_contain_text(re.compile("Urmas Paet.*Estonia.*replied", re.S))
    page.locator("#targets").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "campaign-members-targets-1366.png")

    # The same four as a people list, filtered to the campaign's targets (and so its Export, a saved list …).
    page.get_by_role("link", name="As a people list").click()
    expect(page.locator(".campaign-filter")).to_contain_text(f"Only the targets of “{CAMPAIGN}”")
    expect(page.locator("#result-count")).to_contain_text("4 people")
    page.screenshot(path=artifacts / "campaign-members-people-list-1366.png")
    page.go_back()

    # "Log outreach to the targets" opens the form with the four of them as recipients.
    page.get_by_role("link", name="Log outreach to the targets").click()
    expect(page.locator(".bulk-recipients")).to_contain_text("4 people")
    expect(page.get_by_label("Campaign", exact=True)).to_have_value(
        str(db.session.scalar(select(Campaign.id).where(Campaign.name == CAMPAIGN)))
    )

    page.goto(result_url)
    page.get_by_role("button", name="Undo").click()
    expect(page.locator(".alert-success")).to_contain_text(f"Undone: 3 people taken off the targets of “{CAMPAIGN}”.")
    page.get_by_role("link", name="See the campaign").click()
    expect(page.locator("#targets")).to_contain_text("Targets (1)")
    expect(page.locator("#targets .target")).to_have_text([re.compile("Urmas Paet")])
    assert db.session.scalar(select(BulkAction.undone_at)) is not None
    assert script_errors == []


def test_the_campaign_members_pages_fit_a_phone(page, sign_in, deputies, artifacts, script_errors):
    page.set_viewport_size({"width": 390, "height": 800})
    sign_in("editor")
    _add_three_as_targets(page)
    no_sideways_scroll(page)
    # The form's buttons are on screen, within the phone's width.
    for button in (page.get_by_role("button", name="Add 3 people"), page.get_by_role("link", name="Cancel")):
        box = button.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, button
    page.screenshot(path=artifacts / "campaign-members-dialog-390.png")
    page.get_by_label("Campaign", exact=True).select_option(label=CAMPAIGN)
    page.get_by_label("Supporters: people on the campaign's side").check()
    page.get_by_role("button", name="Add 3 people").click()
    expect(page.locator(".bulk-summary")).to_have_text(f"Added 3 people to “{CAMPAIGN}” as supporters")
    no_sideways_scroll(page)
    page.get_by_role("link", name="See the campaign").click()
    expect(page.locator("#supporters .named-supporter")).to_have_count(3)
    no_sideways_scroll(page)
    page.locator("#supporters").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "campaign-members-supporters-390.png")
    page.locator("#targets").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "campaign-members-targets-390.png")
    # Taking one off asks first.
    page.locator("#supporters").get_by_role("link", name="Remove Lina Deputy 00 from the supporters").click()
    no_sideways_scroll(page)
    page.get_by_role("button", name="Take off the supporters").click()
    expect(page.locator(".alert-success")).to_contain_text("Took Lina Deputy 00 off the supporters")
    expect(page.locator("#supporters .named-supporter")).to_have_count(2)
    page.locator("#supporters").get_by_role("link", name="Lina Deputy 01", exact=True).click()
    no_sideways_scroll(page)
    page.locator("#campaigns").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "campaign-members-person-390.png")
    assert script_errors == []
