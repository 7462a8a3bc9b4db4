"""The campaign page read newest first (and so again on the next visit), a long run of replies opened from
its count, the owners set from the page; at 390 px it fits the phone."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.factories import make_campaign, make_outreach, make_person, make_response
from tests.journeys.layout import no_sideways_scroll

pytestmark = pytest.mark.browser


@pytest.fixture
def campaign_id(app, staff) -> int:
    campaign = make_campaign("Free Mukhtar Dzhakishev", owner_ids=[staff["editor"].id])
    meps = [make_person(name, "MEP") for name in ("Kelam", "Paet", "Tarand", "Ojuland", "Lauristin")]
    letter = make_outreach("Please act for Dzhakishev", to=meps, sent_on=date(2017, 10, 1), campaign_id=campaign.id)
    for day, mep in enumerate(meps, start=2):
        make_response(letter, mep, received_on=date(2017, 10, day))
    make_outreach("Hearing observers needed", sent_on=date(2018, 3, 1), campaign_id=campaign.id)
    return campaign.id


def test_campaign_timeline_order_folds_and_owners(page, sign_in, campaign_id, artifacts, script_errors):
    sign_in("editor")
    page.goto(f"/campaigns/{campaign_id}")
    entries = page.locator("ul.timeline > li.list-group-item:not(.today-marker)")
    expect(entries.first).to_contain_text("Please act for Dzhakishev")
    page.locator(".timeline-order").get_by_role("link", name="Newest first").click()
    expect(entries.first).to_contain_text("Hearing observers needed")
    page.goto(f"/campaigns/{campaign_id}")  # remembered
    expect(entries.first).to_contain_text("Hearing observers needed")

    folded = page.locator("details.folded-replies")
    expect(folded).to_have_count(1)
    expect(folded.locator("summary")).to_contain_text("4 more replies to this outreach")
    expect(folded.get_by_text("MEP Kelam")).to_be_hidden()
    folded.locator("summary").click()
    expect(folded.get_by_text("MEP Kelam")).to_be_visible()

    page.locator(".page-contents").get_by_role("link", name="Owners").click()
    owners = page.locator("#owners")
    owners.get_by_label("Admin").check()
    owners.get_by_role("button", name="Save owners").click()
    expect(page.get_by_role("alert")).to_contain_text("Owners of Free Mukhtar Dzhakishev: Admin, Editor.")
    page.screenshot(path=artifacts / "campaign-1366.png", full_page=True)

    page.set_viewport_size({"width": 390, "height": 800})
    page.reload()
    no_sideways_scroll(page)
    page.screenshot(path=artifacts / "campaign-390.png", full_page=True)
    assert script_errors == []
