"""The main pages pass axe-core's WCAG 2.1 AA rules on a laptop and on a phone, and the parts axe
cannot judge hold too: a skip link first on every page, a focus ring one can see, a favicon.

Every journey's `page` runs axe on each page it loads (tests/journeys/accessibility.py); this test
adds the pages no journey reaches, on the demo data, signed in as an admin who sees every menu.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from crm.campaigns.models import Campaign
from crm.contacts.models import Organisation, Person
from crm.demo.loader import load_demo
from crm.extensions import db
from crm.outreach.models import Outreach

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(app):
    load_demo()
    db.session.commit()


def main_pages() -> list[str]:
    person = db.session.scalar(select(Person.id).where(Person.family_name == "Kelam"))
    organisation = db.session.scalar(select(Organisation.id).where(Organisation.name == "European Commission"))
    campaign = db.session.scalar(select(Campaign.id))
    outreach = db.session.scalar(select(Outreach.id).order_by(Outreach.id))
    return [
        "/",
        "/contacts/people",
        "/contacts/people?q=kelam",
        f"/contacts/people/{person}",
        f"/contacts/people/{person}/edit",
        f"/contacts/people/{person}/roles/new",
        "/contacts/people/new",
        "/contacts/organisations",
        f"/contacts/organisations/{organisation}",
        f"/contacts/organisations/{organisation}/edit",
        "/campaigns/",
        f"/campaigns/{campaign}",
        f"/campaigns/{campaign}/edit",
        f"/campaigns/{campaign}/milestones/new",
        f"/campaigns/{campaign}/asks/new",
        "/outreach/",
        f"/outreach/{outreach}",
        f"/outreach/{outreach}/edit",
        f"/outreach/{outreach}/responses/new",
        "/outreach/new",
        "/outreach/awaiting",
        "/imports/",
        "/reports/",
        f"/reports/campaigns/{campaign}",
        "/reports/scorecard",
        "/email/",
        "/email/compose",
        "/mailbox/log",
        "/mailbox/triage",
        "/letters/",
        "/letters/write",
        "/calendar/",
        "/account/password",
        "/admin/users",
        "/admin/users/new",
        "/admin/lists/",
        "/admin/salutations/",
        "/admin/salutations/new",
        "/admin/audit",
        "/privacy/retention",
        "/duplicates/",
        "/duplicates/different",
        "/no-such-page",
    ]


@pytest.mark.parametrize("width", [1366, 390], ids=["laptop", "phone"])
def test_the_main_pages_pass_axe(page, axe, sign_in, demo, width, script_errors):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/login")
    axe.check()
    page.get_by_label("Email").fill("admin@example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".alert, .invalid-feedback").first).to_be_visible()
    axe.check()  # the refusal
    sign_in("admin")

    for path in main_pages():
        page.goto(path)
        axe.check()

    # States a page gets into: the menus open (behind the Menu button on a phone), a form's errors.
    page.goto("/contacts/people")
    if width < 1200:
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Admin", exact=True).click()
    expect(page.get_by_role("link", name="Audit log")).to_be_visible()
    axe.check()
    page.get_by_role("button", name="Export").click()
    expect(page.locator("main .dropdown-menu.show")).to_be_visible()
    axe.check()
    page.goto("/contacts/people/new")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator(".is-invalid, .invalid-feedback, .alert-danger").first).to_be_visible()
    axe.check()

    assert axe.checked >= len(main_pages()) + 4
    assert axe.violations == [], axe.report()
    axe.violations.clear()  # reported here; the fixture need not report them again
    assert script_errors == []


FOCUSABLE = "a[href], button, input:not([type=hidden]), select, textarea, [tabindex]"


def test_a_skip_link_comes_first_and_leads_to_the_content(page, sign_in, staff):
    def skip_to_content(path: str) -> None:
        page.goto(path)
        skip = page.get_by_role("link", name="Skip to main content")
        assert skip.evaluate("link => link.getBoundingClientRect().height <= 1")  # out of sight until focused
        page.keyboard.press("Tab")
        expect(skip).to_be_focused()
        expect(skip).to_be_in_viewport()
        assert skip.bounding_box()["height"] > 10  # shown while it has the focus
        page.keyboard.press("Enter")
        expect(page.locator("main#main")).to_be_focused()
        page.keyboard.press("Tab")  # the next stop is inside the content, past the top bar
        assert page.evaluate("document.activeElement.closest('main') !== null"), path

    skip_to_content("/login")
    sign_in("editor")
    for path in ("/campaigns/", "/outreach/"):
        skip_to_content(path)
    # The start page and the people list put the focus in their search box; the skip link still comes
    # first for whoever tabs from the top.
    for path in ("/", "/contacts/people"):
        page.goto(path)
        first = page.evaluate(f"document.querySelector({FOCUSABLE!r}).textContent")
        assert first == "Skip to main content", path


def _focus_ring(page: Page, selector: str) -> tuple[str, float]:
    """The outline drawn around the element when the keyboard brings the focus to it: style, width in px."""
    element = page.locator(selector).first
    element.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # reached with the keyboard, so :focus-visible applies
    expect(element).to_be_focused()
    return element.evaluate("e => [getComputedStyle(e).outlineStyle, parseFloat(getComputedStyle(e).outlineWidth)]")


def test_the_keyboard_focus_can_be_seen(page, sign_in, demo):
    sign_in("admin")
    page.goto("/contacts/people")
    for selector in (
        "nav.navbar a.nav-link",
        "nav.navbar .navbar-brand",
        "nav.navbar button.dropdown-toggle",
        "nav.navbar #quick-search",
        "main table a",
        "main .btn-link",
        "main .btn-outline-secondary",
        "main input.form-control",
        "main select",
    ):
        style, width = _focus_ring(page, selector)
        assert style == "solid" and width >= 2, f"{selector}: outline {style} {width} px"


def test_the_favicon_is_linked_and_served(page, sign_in, staff):
    sign_in("viewer")
    href = page.locator("link[rel=icon]").get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert "<svg" in response.text()
