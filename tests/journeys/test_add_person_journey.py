"""A staffer adds "Mukhtar Djakishev", who is already here as Mukhtar Dzhakishev: the form names him, with
why, and a way to open him instead; the staffer says this is someone else, and the person is saved.
On a laptop and on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.factories import make_person

pytestmark = pytest.mark.browser

NOTES = "Met his lawyer at the OSCE meeting in Warsaw."


@pytest.mark.parametrize("width", [1366, 390])
def test_adding_a_lookalike_warns_then_saves_when_confirmed(app, page, sign_in, artifacts, script_errors, width):
    dzhakishev = make_person("Dzhakishev", "Mukhtar", country="KZ", native_name="Мухтар Джакишев")  # as in the demo
    page.set_viewport_size({"width": width, "height": 900 if width > 800 else 844})
    sign_in("editor")

    page.goto("/contacts/people")
    page.get_by_role("link", name="Add a person").click()
    page.get_by_label("Given name").fill("Mukhtar")
    page.get_by_label("Family name").fill("Djakishev")
    page.get_by_label("Country", exact=True).select_option("KZ")
    page.get_by_label("Notes").fill(NOTES)
    page.get_by_label("Email", exact=True).fill("m.djakishev@example.org")
    page.get_by_role("button", name="Save", exact=True).click()

    warning = page.get_by_role("region", name=re.compile("Already in the CRM"))
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(
        re.compile(r"Probably the same person \(\d+%\): same name, spelt differently; same country \(Kazakhstan\)")
    )
    expect(warning.get_by_role("link", name=re.compile(r"^Mukhtar Dzhakishev"))).to_have_attribute(
        "href", f"/contacts/people/{dzhakishev.id}"
    )
    expect(warning.get_by_role("link", name="Open Mukhtar Dzhakishev instead")).to_be_visible()
    # Everything typed is still there.
    expect(page.get_by_label("Given name")).to_have_value("Mukhtar")
    expect(page.get_by_label("Family name")).to_have_value("Djakishev")
    expect(page.get_by_label("Country", exact=True)).to_have_value("KZ")
    expect(page.get_by_label("Notes")).to_have_value(NOTES)
    expect(page.get_by_label("Email", exact=True)).to_have_value("m.djakishev@example.org")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    page.screenshot(path=artifacts / f"add_person_lookalike_{width}.png", full_page=True)
    warning.screenshot(path=artifacts / f"add_person_lookalike_{width}_warning.png")

    # Enter in a field is Save, which asks again: only the button says "someone else".
    with page.expect_navigation():  # the form was sent, not just left alone
        page.get_by_label("Family name").press("Enter")
    expect(warning).to_be_visible()
    expect(page.get_by_label("Family name")).to_have_value("Djakishev")

    warning.get_by_role("button", name="This is someone else").click()
    expect(page.get_by_role("alert")).to_contain_text("Added Mukhtar Djakishev.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mukhtar Djakishev")
    expect(page).to_have_url(re.compile(r"/contacts/people/\d+$"))
    assert not page.url.endswith(f"/contacts/people/{dzhakishev.id}")
    expect(page.locator(".card", has_text="Notes").locator(".notes")).to_have_text(NOTES)

    assert script_errors == []
