"""A staffer adds a person with diacritics, finds them without typing the diacritics, edits them and
sees the change in the history; and a Cyrillic query finds a person stored under a Latin name."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.factories import make_person

pytestmark = pytest.mark.browser

NOTE = "Met him at the PACE side event on political prisoners in Kazakhstan."


def test_add_find_edit_and_audit_a_person(page, sign_in, artifacts, script_errors):
    sign_in("editor")

    page.locator("nav.navbar").get_by_role("link", name="People").click()
    page.get_by_role("link", name="Add a person").click()
    expect(page.get_by_role("heading", name="Add a person")).to_be_visible()
    page.get_by_label("Given name").fill("Tomáš")
    page.get_by_label("Family name").fill("Zdechovský")
    page.get_by_label("Name in native script").fill("Tomáš Zdechovský")
    page.get_by_label("Country", exact=True).select_option("CZ")
    page.get_by_label("Email", exact=True).fill("tomas.zdechovsky@europarl.europa.eu")
    page.get_by_label("Tags").fill("MEP")
    page.screenshot(path=artifacts / "person_form.png", full_page=True)
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_role("alert")).to_contain_text("Added Tomáš Zdechovský.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Zdechovský")
    person_url = page.url
    assert re.search(r"/contacts/people/\d+$", person_url)

    # The people list: the name typed without diacritics, in lower case.
    page.locator("nav.navbar").get_by_role("link", name="People").click()
    page.locator("input#q").fill("zdechovsky")
    page.locator("input#q").press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q=zdechovsky"))
    expect(page.locator("#result-count")).to_have_text("1–1 of 1 person")
    row = page.locator("table.people-table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Zdechovský, Tomáš")
    expect(row).to_contain_text("tomas.zdechovsky@europarl.europa.eu")
    page.screenshot(path=artifacts / "person_list_search.png", full_page=True)

    # The navbar quick search suggests as you type; the keyboard picks the suggestion.
    quick_search = page.locator("input#quick-search")
    quick_search.click()
    page.keyboard.type("zdechov", delay=60)
    suggestion = page.get_by_role("option", name=re.compile("Zdechovský"))
    expect(suggestion).to_be_visible()
    page.screenshot(path=artifacts / "quick_search.png", full_page=True)
    quick_search.press("ArrowDown")
    expect(suggestion).to_have_class(re.compile(r"\bactive\b"))
    quick_search.press("Enter")
    expect(page).to_have_url(person_url)

    # Edit, then the History card shows who changed what, from what, to what.
    page.get_by_role("link", name="Edit", exact=True).click()
    expect(page.get_by_label("Given name")).to_have_value("Tomáš")
    page.get_by_label("Honorific").fill("Mr")
    page.get_by_label("Notes").fill(NOTE)
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page).to_have_url(person_url)
    expect(page.get_by_role("alert")).to_contain_text("Saved Tomáš Zdechovský.")
    expect(page.locator(".card", has_text="Notes").locator(".notes")).to_have_text(NOTE)
    entries = page.locator("ul.audit-log > li")
    expect(entries).to_have_count(2)  # newest first: the update, then the create
    update = entries.first
    expect(update).to_contain_text(re.compile(r"Editor\s+·\s+Changed"))
    notes_change = update.locator("tr", has=page.locator("th", has_text="Notes"))
    expect(notes_change.locator("del")).to_have_text("—")
    expect(notes_change.locator("td")).to_have_text(f"— → {NOTE}")
    honorific_change = update.locator("tr", has=page.locator("th", has_text="Honorific"))
    expect(honorific_change.locator("td")).to_have_text("— → Mr")
    expect(entries.last).to_contain_text(re.compile(r"Editor\s+·\s+Created"))
    page.screenshot(path=artifacts / "person_detail_history.png", full_page=True)

    assert script_errors == []


def test_cyrillic_query_finds_a_latin_record(app, page, sign_in, artifacts, script_errors):
    make_person("Dzhakishev", "Mukhtar", native_name="Мухтар Джакишев")  # commits, so the server sees it
    sign_in("viewer")

    page.goto("/contacts/people")
    page.locator("input#q").fill("Джакишев")
    page.get_by_role("button", name="Search").click()
    row = page.locator("table.people-table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Dzhakishev, Mukhtar")
    expect(row).to_contain_text("Мухтар Джакишев")
    page.screenshot(path=artifacts / "cyrillic_search.png", full_page=True)

    page.locator("input#quick-search").click()
    page.keyboard.type("Джакишев", delay=40)
    suggestion = page.get_by_role("option", name=re.compile("Dzhakishev"))
    expect(suggestion).to_contain_text("Мухтар Джакишев")
    suggestion.click()
    expect(page).to_have_url(re.compile(r"/contacts/people/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dzhakishev")
    expect(page.locator(".native-name")).to_have_text("Мухтар Джакишев")
    # A viewer reads but does not change.
    expect(page.get_by_role("link", name="Edit", exact=True)).to_have_count(0)

    assert script_errors == []
