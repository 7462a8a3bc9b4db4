"""At 390 px the buttons of the pages worked with a thumb sit inside the screen, not at the end of a table
scrolled sideways: the team's awaiting queue, an outreach entry's recipients (Record reply, Stop waiting),
and the merge screen."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Locator, expect

from crm.timeutil import today
from tests.factories import make_outreach, make_person
from tests.journeys.layout import no_sideways_scroll

pytestmark = pytest.mark.browser

PHONE = 390


def right_edge(locator: Locator) -> float:
    locator.page.wait_for_load_state("load")
    box = locator.bounding_box()
    assert box is not None, "the element is not shown"
    return box["x"] + box["width"]


def test_row_buttons_are_within_a_phone_s_width(page, sign_in, app, artifacts, script_errors):
    kelam = make_person("Kelam", "Tunne", emails=("tunne.kelam@europarl.europa.eu",))
    twin = make_person("Kelam", "Tunne", emails=("kelam.office@example.org",), country="EE")
    letter = make_outreach(
        "Urgent appeal: release Mukhtar Dzhakishev on health grounds",
        to=[kelam, make_person("Delvaux-Stehres", "Mady")],
        sent_on=today() - timedelta(days=40),
    )
    page.set_viewport_size({"width": PHONE, "height": 800})
    sign_in("editor")

    page.goto("/outreach/awaiting")
    no_sideways_scroll(page)
    table = page.locator("table.awaiting-queue")
    buttons = table.get_by_role("link", name="Record reply")
    expect(buttons).to_have_count(2)
    for button in [*buttons.all(), *table.get_by_role("button", name="Stop waiting").all()]:
        assert right_edge(button) <= PHONE
    expect(table.get_by_role("button", name="Stop waiting")).to_have_count(2)
    page.screenshot(path=artifacts / "awaiting-390.png", full_page=True)

    page.goto(f"/outreach/{letter.id}")
    no_sideways_scroll(page)
    table = page.locator("table.recipients")
    buttons = table.get_by_role("link", name="Record reply")
    expect(buttons).to_have_count(2)
    expect(table.get_by_role("button", name="Stop waiting")).to_have_count(2)
    for button in [*buttons.all(), *table.get_by_role("button", name="Stop waiting").all()]:
        assert right_edge(button) <= PHONE
    page.screenshot(path=artifacts / "outreach_recipients-390.png", full_page=True)

    page.goto(f"/duplicates/merge?keep={kelam.id}&other={twin.id}")
    expect(page.get_by_role("heading", name="Merge two people")).to_be_visible()
    no_sideways_scroll(page)
    assert right_edge(page.get_by_role("button", name="Merge into Tunne Kelam")) <= PHONE
    for radio in page.locator(".merge-form input[type=radio]").all():
        assert right_edge(radio) <= PHONE
    page.screenshot(path=artifacts / "merge-390.png", full_page=True)
    assert script_errors == []
