"""Issue 17, campaign members: tick people on the people list, add them to the demo campaign as targets,
see them on the campaign page beside the demo's own targets, add one more by the type-ahead and read the
message where the page opens, email and write letters to the targets, undo the bulk action from its page
and see exactly those three go; and the pages at a phone's width."""

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
DEMO_TARGETS, DEMO_SUPPORTERS = 20, 2  # crm/demo/campaign.py TARGETS and SUPPORTERS


def _in_view(page: Page, selector: str) -> None:
    """The element is within the window as the page opens (the user need not scroll to read it)."""
    box = page.locator(selector).bounding_box()
    height = page.viewport_size["height"]
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= height, (selector, box, height)


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
    campaign_choice = page.get_by_label("Campaign", exact=True)
    # Active campaigns in a group of their own.
    expect(campaign_choice.locator("optgroup[label=Active] option")).to_have_text([CAMPAIGN])
    campaign_choice.select_option(label=CAMPAIGN)
    expect(page.get_by_label("Targets: the people the campaign means to win over")).to_be_checked()
    page.screenshot(path=artifacts / "campaign-members-dialog-1366.png")
    page.get_by_role("button", name="Add 3 people").click()
    expect(page.locator(".bulk-summary")).to_have_text(f"Added 3 people to “{CAMPAIGN}” as targets")
    result_url = page.url

    page.get_by_role("link", name="See the campaign").click()
    targets = page.locator("#targets")
    expect(targets).to_contain_text(f"Targets ({DEMO_TARGETS + 3})")
    expect(targets.locator(".target").filter(has_text="Lina Deputy")).to_have_text(
        [re.compile(f"Lina Deputy 0{n}.*Lithuania.*not asked yet", re.S) for n in range(3)]
    )
    # The demo's targets show the three states, and the summary counts them.
    expect(targets.locator(".target").filter(has_text="Urmas Paet")).to_contain_text("replied")
    expect(targets.locator(".target").filter(has_text="Nazarbayev")).to_contain_text("asked, no reply yet")
    expect(targets.locator(".target").filter(has_text="Marc Behrendt")).to_contain_text("not asked yet")
    expect(page.locator(".target-figures")).to_contain_text(f"18 of {DEMO_TARGETS + 3}")
    expect(page.locator(".target-figures")).to_contain_text("19 asked, 94% of them replied · 4 not asked yet")
    page.locator(".key-figures").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "campaign-members-figures-1366.png")

    # One more, by the type-ahead: the message shows in the card the page opens at, not above it.
    page.get_by_label("Add a target").fill("Tumenova")
    page.locator("#targets .lookup-menu").get_by_role("option", name=re.compile("Bakhyt Tumenova")).click()
    page.get_by_role("button", name="Add target").click()
    message = page.locator("#targets .placed-message")
    expect(message).to_contain_text(f"Added Bakhyt Tumenova to the targets of {CAMPAIGN}.")
    expect(page.locator("main > .alert")).to_have_count(0)
    _in_view(page, "#targets .placed-message")
    expect(page.locator("#targets")).to_contain_text(f"Targets ({DEMO_TARGETS + 4})")
    page.screenshot(path=artifacts / "campaign-members-targets-1366.png")
    # One already there says so, in the same place.
    page.get_by_label("Add a target").fill("Paet")
    page.locator("#targets .lookup-menu").get_by_role("option", name=re.compile("Urmas Paet")).click()
    page.get_by_role("button", name="Add target").click()
    expect(message).to_contain_text("is among the targets already")
    _in_view(page, "#targets .placed-message")

    # The same people as a people list, filtered to the campaign's targets (and so its Export, a saved list …).
    page.get_by_role("link", name="As a people list").click()
    expect(page.locator(".campaign-filter")).to_contain_text(f"Only the targets of “{CAMPAIGN}”")
    expect(page.locator("#result-count")).to_contain_text(f"{DEMO_TARGETS + 4} people")
    page.screenshot(path=artifacts / "campaign-members-people-list-1366.png")
    page.go_back()

    # "Log outreach to the targets" opens the form with all of them as recipients.
    campaign_id = str(db.session.scalar(select(Campaign.id).where(Campaign.name == CAMPAIGN)))
    page.get_by_role("link", name="Log outreach to the targets").click()
    expect(page.locator(".bulk-recipients")).to_contain_text(f"{DEMO_TARGETS + 4} people")
    expect(page.get_by_label("Campaign", exact=True)).to_have_value(campaign_id)
    page.go_back()

    # "Email the targets" and "Letters to the targets" open those pages with the targets as recipients.
    page.get_by_role("link", name="Email the targets").click()
    expect(page.get_by_text(f"To: people list: targets of “{CAMPAIGN}”")).to_be_visible()
    expect(page.get_by_label("Campaign", exact=True)).to_have_value(campaign_id)
    page.screenshot(path=artifacts / "campaign-members-email-targets-1366.png")
    page.go_back()
    page.get_by_role("link", name="Letters to the targets").click()
    expect(page.get_by_text(f"To: people list: targets of “{CAMPAIGN}”")).to_be_visible()
    page.screenshot(path=artifacts / "campaign-members-letters-targets-1366.png")

    # The campaign report counts the targets and the supporters, named ones with the others.
    page.go_back()
    page.get_by_role("link", name="Report", exact=True).click()
    figures = {name: page.locator(f'[data-figure="{name}"]') for name in ("targets", "targets-replied", "supporters")}
    expect(figures["targets"]).to_have_text(str(DEMO_TARGETS + 4))
    expect(figures["targets-replied"]).to_have_text("18")
    expect(page.locator('[data-figure="target-reply-rate"]')).to_have_text("95 %")
    page.locator(".report-figures").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "campaign-members-report-1366.png")

    page.goto(result_url)
    page.get_by_role("button", name="Undo").click()
    expect(page.locator(".alert-success")).to_contain_text(f"Undone: 3 people taken off the targets of “{CAMPAIGN}”.")
    page.get_by_role("link", name="See the campaign").click()
    expect(page.locator("#targets")).to_contain_text(f"Targets ({DEMO_TARGETS + 1})")
    expect(page.locator("#targets .target").filter(has_text="Lina Deputy")).to_have_count(0)
    expect(page.locator("#targets .target").filter(has_text="Bakhyt Tumenova")).to_have_count(1)
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
    expect(page.locator("#supporters .named-supporter")).to_have_count(3 + DEMO_SUPPORTERS)
    no_sideways_scroll(page)
    page.locator("#supporters").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "campaign-members-supporters-390.png")
    page.locator("#targets").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "campaign-members-targets-390.png")
    # Taking one off asks first.
    page.locator("#supporters").get_by_role("link", name="Remove Lina Deputy 00 from the supporters").click()
    no_sideways_scroll(page)
    page.get_by_role("button", name="Take off the supporters").click()
    expect(page.locator("#supporters .placed-message")).to_contain_text("Took Lina Deputy 00 off the supporters")
    _in_view(page, "#supporters .placed-message")
    no_sideways_scroll(page)
    page.screenshot(path=artifacts / "campaign-members-removed-390.png")
    expect(page.locator("#supporters .named-supporter")).to_have_count(2 + DEMO_SUPPORTERS)
    # A target added on the phone: its message is on screen where the page opens.
    page.get_by_label("Add a target").fill("Lina Deputy 03")
    page.locator("#targets .lookup-menu").get_by_role("option", name=re.compile("Lina Deputy 03")).click()
    page.get_by_role("button", name="Add target").click()
    expect(page.locator("#targets .placed-message")).to_contain_text("Added Lina Deputy 03 to the targets")
    _in_view(page, "#targets .placed-message")
    no_sideways_scroll(page)
    page.screenshot(path=artifacts / "campaign-members-added-390.png")
    page.locator(".key-figures").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "campaign-members-figures-390.png")
    page.get_by_role("link", name="Report", exact=True).click()
    expect(page.locator('[data-figure="named-supporters"]')).to_have_text(str(2 + DEMO_SUPPORTERS))
    no_sideways_scroll(page)
    page.locator(".report-figures").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "campaign-members-report-390.png")
    page.go_back()
    page.locator("#supporters").get_by_role("link", name="Lina Deputy 01", exact=True).click()
    no_sideways_scroll(page)
    page.locator("#campaigns").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "campaign-members-person-390.png")
    assert script_errors == []
