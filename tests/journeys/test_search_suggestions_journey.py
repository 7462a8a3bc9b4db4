"""Finding people as they are misspelt, by keyboard and screen reader: the quick search is an ARIA
combobox (focus stays in the box, the arrow keys move aria-activedescendant over the listbox's
options, Enter opens one, Escape closes, a live region counts them) that offers "Did you mean"
guesses when nothing matches; the people list offers them too."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from crm.contacts.models import Person
from crm.demo.loader import load_demo
from crm.extensions import db
from tests.journeys.layout import no_sideways_scroll

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(app):
    load_demo()
    db.session.commit()


def person_id(family_name: str) -> int:
    return db.session.scalar(select(Person.id).where(Person.family_name == family_name))


def test_the_quick_search_is_a_combobox_that_finds_misspelt_names(page, sign_in, demo, artifacts, script_errors):
    mogherini = person_id("Mogherini")
    sign_in("viewer")
    page.goto("/contacts/people")
    box = page.locator("#quick-search")
    expect(box).to_have_attribute("role", "combobox")
    expect(box).to_have_attribute("aria-expanded", "false")
    listbox = page.locator("#" + box.get_attribute("aria-controls"))
    expect(listbox).to_have_attribute("role", "listbox")
    status = page.locator(".quick-search-form [role=status]")

    # Several results: the arrow keys walk them, and the box says which one is active.
    box.click()
    box.press_sequentially("ov")
    expect(box).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    expect(options.nth(1)).to_be_visible()
    count = options.count()
    expect(status).to_have_text(f"{count} suggestions")
    assert box.get_attribute("aria-activedescendant") is None
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", options.nth(0).get_attribute("id"))
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", options.nth(1).get_attribute("id"))
    expect(options.nth(0)).to_have_attribute("aria-selected", "false")
    box.press("ArrowUp")
    expect(box).to_have_attribute("aria-activedescendant", options.nth(0).get_attribute("id"))
    box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(listbox).to_be_hidden()
    assert box.get_attribute("aria-activedescendant") is None
    expect(box).to_be_focused()

    # The spelling of the case's own documents: the sound-alike fold finds her as typed.
    box.fill("")
    box.press_sequentially("mogerini")
    expect(listbox.get_by_role("option", name=re.compile("Federica Mogherini"))).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")

    # A slip the folds cannot undo: nothing matches, and the dropdown guesses.
    box.fill("")
    box.press_sequentially("mogehrini")
    guess = listbox.get_by_role("group", name=re.compile("Did you mean"))
    expect(guess.get_by_role("option", name=re.compile("Federica Mogherini"))).to_be_visible()
    expect(status).to_have_text("No exact match. 1 suggestion, did you mean")
    page.screenshot(path=artifacts / "search-suggestions-dropdown-1366.png")
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", guess.get_by_role("option").first.get_attribute("id"))
    box.press("Enter")
    expect(page).to_have_url(re.compile(f"/contacts/people/{mogherini}$"))
    expect(page.locator("h1")).to_contain_text("Mogherini")

    # On a phone the bar folds away: "/" opens it, and the guesses fit the screen.
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/contacts/people")
    page.locator("h1").click()
    page.keyboard.press("/")
    expect(box).to_be_focused()
    box.press_sequentially("mogehrini")
    expect(listbox.get_by_role("option", name=re.compile("Federica Mogherini"))).to_be_visible()
    no_sideways_scroll(page)
    page.screenshot(path=artifacts / "search-suggestions-dropdown-390.png")
    assert script_errors == []


def test_the_people_list_asks_did_you_mean(page, sign_in, demo, artifacts, script_errors):
    zdechovsky = person_id("Zdechovský")
    sign_in("viewer")
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto("/contacts/people?q=Zdechovksy")
        expect(page.locator("#result-count")).to_contain_text("No people match.")
        expect(page.locator("#did-you-mean")).to_contain_text("Did you mean Tomáš Zdechovský")
        no_sideways_scroll(page)
        page.screenshot(path=artifacts / f"search-did-you-mean-{width}.png", full_page=True)
    page.locator("#did-you-mean").get_by_role("link", name="Tomáš Zdechovský").click()
    expect(page).to_have_url(re.compile(f"/contacts/people/{zdechovsky}$"))
    assert script_errors == []
