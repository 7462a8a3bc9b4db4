"""The top bar fits laptop screens without a sideways scroll, and "/" reaches the quick search even
when a narrow window has folded the bar away."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from crm.auth.models import User
from crm.extensions import db

pytestmark = pytest.mark.browser


def test_the_bar_fits_and_slash_finds_the_search(page, sign_in, staff, script_errors):
    # The widest bar: an admin (one menu more) with a long address.
    db.session.get(User, staff["admin"].id).name = ""
    db.session.get(User, staff["admin"].id).email = "campaign.coordinator.for.central.asia@example.org"
    db.session.commit()
    page.goto("/login")
    page.get_by_label("Email").fill("campaign.coordinator.for.central.asia@example.org")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("nav.navbar")).to_contain_text("Admin")

    for width in (1200, 1280, 1366, 1440, 1920):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto("/contacts/people")
        assert page.evaluate("document.documentElement.scrollWidth") == width, width
        expect(page.locator("#quick-search")).to_be_visible()

    page.set_viewport_size({"width": 1000, "height": 800})
    page.goto("/contacts/people")
    expect(page.locator("#quick-search")).to_be_hidden()
    page.locator("h1").click()
    page.keyboard.press("/")
    expect(page.locator("#quick-search")).to_be_focused()
    page.keyboard.type("zdech")
    assert script_errors == []


def test_slash_on_the_start_page_is_the_shortcut_not_a_character(page, sign_in, staff, script_errors):
    sign_in("editor")
    failed = []
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    page.goto("/")
    own_search = page.locator("main input[type=search][name=q]")
    expect(own_search).to_be_focused()  # the start page focuses its own search box
    page.keyboard.press("/")
    page.keyboard.type("mogherini")
    expect(own_search).to_have_value("mogherini")
    page.locator("h1").first.click()
    page.keyboard.press("/")
    expect(page.locator("#quick-search")).to_be_focused()
    page.keyboard.type("zdech")
    expect(page.locator("#quick-search")).to_have_value("zdech")
    assert script_errors == [] and failed == []  # the page and all it loads, its icon included
