"""A staffer decides about a possible duplicate in the preview, sees the import button count follow the
decision, imports, and opens the people the import touched; then reads a long history a page at a time.
At 390 px every one of these pages fits the phone."""

from __future__ import annotations

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from crm.contacts.people import set_archived
from crm.extensions import db
from tests.factories import make_person
from tests.journeys.layout import no_sideways_scroll

pytestmark = pytest.mark.browser


@pytest.fixture
def partner_list(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Surname", "First name", "E-mail", "Country"])
    sheet.append(["Djakishev", "Mukhtar", None, "KZ"])  # maybe Mukhtar Dzhakishev, already here
    sheet.append(["Toregozhina", "Bakhytzhan", "toregozhina@example.kz", "KZ"])
    sheet.append(["Итого:", None, "2 человека", None])
    path = tmp_path / "partners.xlsx"
    book.save(path)
    return path


def test_the_import_button_counts_the_decisions_and_people_opens_whom_it_touched(
    page, sign_in, partner_list, artifacts, script_errors
):
    make_person("Dzhakishev", "Mukhtar", country="KZ")
    make_person("Ward", "Rachel")
    sign_in("editor")
    page.goto("/imports/")
    page.get_by_label("Spreadsheet").set_input_files(str(partner_list))
    page.get_by_role("button", name="Upload and continue").click()
    page.get_by_role("button", name="Preview").click()

    decision = page.get_by_label("What to do with row 2")
    expect(page.get_by_role("button", name="Import 1 row", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Recount")).to_have_count(0)  # the script counts; no need
    decision.select_option("create")
    expect(page.get_by_role("button", name="Import 2 rows", exact=True)).to_be_visible()
    decision.select_option("skip")
    expect(page.get_by_role("button", name="Import 1 row", exact=True)).to_be_visible()
    decision.select_option("create")
    page.get_by_text("Rows skipped").click()
    expect(page.get_by_text("Not imported: looks like a totals row.")).to_be_visible()
    page.screenshot(path=artifacts / "import-decisions-1366.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    no_sideways_scroll(page)
    page.screenshot(path=artifacts / "import-decisions-390.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.get_by_role("button", name="Import 2 rows", exact=True).click()

    expect(page.locator('[data-count="created"]')).to_have_text("2", timeout=30_000)
    expect(page.locator("#not-imported ~ div").get_by_text("Not imported: looks like a totals row.")).to_be_visible()
    page.screenshot(path=artifacts / "import-result-1366.png", full_page=True)
    page.get_by_role("link", name="People", exact=True).last.click()
    expect(page.locator("#result-count")).to_have_text("1–2 of 2 people")
    table = page.locator(".people-table")
    expect(table).to_contain_text("Djakishev")
    expect(table).to_contain_text("Toregozhina")
    expect(table).not_to_contain_text("Dzhakishev")
    expect(table).not_to_contain_text("Ward")
    page.screenshot(path=artifacts / "import-people-1366.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    no_sideways_scroll(page)
    page.screenshot(path=artifacts / "import-people-390.png", full_page=True)
    page.go_back()
    no_sideways_scroll(page)
    page.screenshot(path=artifacts / "import-result-390.png", full_page=True)
    assert script_errors == []


def test_a_long_history_reads_a_page_at_a_time(page, sign_in, artifacts, script_errors):
    person = make_person("Kelam", "Tunne")
    for n in range(44):
        set_archived(person, n % 2 == 0, actor=None)
    db.session.commit()
    sign_in("viewer")
    page.goto(f"/contacts/people/{person.id}")
    history = page.locator("#history")
    expect(history.get_by_text("1–20 of 45, newest first")).to_be_visible()
    history.get_by_role("link", name="Older").click()
    expect(history.get_by_text("21–40 of 45, newest first")).to_be_visible()
    assert page.url.endswith("history_page=2#history")
    page.screenshot(path=artifacts / "person-history-1366.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    no_sideways_scroll(page)
    page.screenshot(path=artifacts / "person-history-390.png", full_page=True)
    history.get_by_role("link", name="Newer").click()
    expect(history.get_by_text("1–20 of 45, newest first")).to_be_visible()
    assert script_errors == []
