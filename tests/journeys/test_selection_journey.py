"""Issue 17, selections: on the demo data and 60 more people, tick 30 of a search's people across
its two pages, tag them, see the tag, undo it, then log outreach to them, leaving two out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from crm.contacts.data import PersonData
from crm.contacts.models import Person
from crm.contacts.people import create_person
from crm.demo.loader import load_demo
from crm.extensions import db
from crm.outreach.models import Outreach
from tests.journeys.layout import no_sideways_scroll

pytestmark = pytest.mark.browser


@pytest.fixture
def petitioners(app):
    load_demo()
    for number in range(60):
        create_person(PersonData(family_name=f"Petitioner {number:02d}", given_name="Ana", country="PT"), actor=None)
    db.session.commit()


def _tick(page: Page, rows: range, expected: int) -> None:
    for index in rows:
        page.locator(".select-row").nth(index).check()
    # Each tick is saved at once; the bar counts what the server holds.
    expect(page.locator(".selection-count")).to_have_text(f"{expected} selected")


def _expect_badges(page: Page, tag: str, count: int) -> None:
    """Waits for the page to show them: the URL changes before the new page's rows are there."""
    expect(page.locator(".people-table .badge", has_text=tag)).to_have_count(count)


def test_select_thirty_across_two_pages_tag_undo_and_log_outreach(page, sign_in, petitioners, artifacts, script_errors):
    sign_in("editor")
    page.goto("/contacts/people?q=petitioner")
    expect(page.locator("#result-count")).to_contain_text("1–50 of 60 people")
    expect(page.locator(".selection-count")).to_have_text("0 selected")
    _tick(page, range(0, 20), 20)
    page.get_by_role("link", name="Next").click()
    expect(page.locator("#result-count")).to_contain_text("51–60 of 60 people")
    _tick(page, range(0, 10), 30)
    # Back on page one, its ticks are still there.
    page.get_by_role("link", name="Previous").click()
    expect(page.locator(".select-row:checked")).to_have_count(20)
    expect(page.locator(".selection-count")).to_have_text("30 selected")
    page.screenshot(path=artifacts / "selection-list-1366.png")

    page.locator(".selection-actions").get_by_role("link", name="Tag", exact=True).click()
    expect(page.get_by_text("30 people selected.")).to_be_visible()
    page.get_by_label("Tag").fill("Petition 2026")
    page.get_by_role("button", name="Tag 30 people").click()
    expect(page.locator(".bulk-summary")).to_have_text("Tagged 30 people “Petition 2026”")
    page.screenshot(path=artifacts / "selection-result-1366.png")
    page.get_by_role("link", name="Back to the list").click()
    expect(page).to_have_url(re.compile(r"/contacts/people\?q=petitioner$"))
    _expect_badges(page, "Petition 2026", 20)
    page.get_by_role("link", name="Next").click()
    expect(page.locator("#result-count")).to_contain_text("51–60")
    _expect_badges(page, "Petition 2026", 10)

    page.go_back()
    page.go_back()  # the result page, to undo
    page.get_by_role("button", name="Undo").click()
    expect(page.locator(".alert-success")).to_contain_text("Undone: 30 people put back as they were.")
    expect(page.locator(".bulk-undone")).to_be_visible()
    page.get_by_role("link", name="Back to the list").click()
    expect(page.locator(".selection-count")).to_have_text("30 selected")
    _expect_badges(page, "Petition 2026", 0)

    page.locator(".selection-actions").get_by_role("link", name="Log outreach").click()
    expect(page.locator(".bulk-recipients")).to_contain_text("30 people")
    review = page.locator(".bulk-review input[name=keep]")
    expect(review).to_have_count(30)
    review.nth(0).uncheck()
    review.nth(5).uncheck()
    page.get_by_label("Subject").fill("Petition for the release of Mukhtar Dzhakishev")
    page.screenshot(path=artifacts / "selection-outreach-1366.png", full_page=True)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("with 28 participants")

    outreach = db.session.scalar(select(Outreach).where(Outreach.subject.startswith("Petition for")))
    names = sorted(p.person.family_name for p in outreach.participants)
    assert len(names) == 28 and {p.role for p in outreach.participants} == {"to"}
    assert all(name.startswith("Petitioner") for name in names)
    assert script_errors == []


def test_the_selection_pages_fit_a_phone(page, sign_in, petitioners, artifacts, script_errors):
    page.set_viewport_size({"width": 390, "height": 800})
    sign_in("editor")
    page.goto("/contacts/people?q=petitioner")
    _tick(page, range(0, 3), 3)
    expect(page.locator(".selection-actions")).to_be_visible()
    no_sideways_scroll(page)
    # The bar's buttons are on screen, within the phone's width.
    for name in ("Tag", "Log outreach", "Archive"):
        box = page.locator(".selection-actions").get_by_role("link", name=name, exact=True).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, name
    page.screenshot(path=artifacts / "selection-list-390.png")
    person = db.session.scalar(select(Person.id).where(Person.family_name == "Petitioner 00"))
    assert person
    for path in (
        "/selections/people/tag?back=q%3Dpetitioner",
        "/selections/people/archive",
        "/outreach/new?selection=people",
    ):
        page.goto(path)
        no_sideways_scroll(page)
    page.locator(".bulk-review").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "selection-outreach-390.png")
    # The organisation and outreach lists' bars, with their actions showing.
    for path in ("/contacts/organisations", "/outreach/"):
        page.goto(path)
        page.locator(".select-row").first.check()
        expect(page.locator(".selection-count")).to_have_text("1 selected")
        expect(page.locator(".selection-actions")).to_be_visible()
        no_sideways_scroll(page)
    assert script_errors == []
