"""Journey: an editor filters the demo's people by the committee DROI as it was in 2018, saves them as the
live list "DROI members", finds it under Saved lists and exports it: the .xlsx the browser downloads holds
the subcommittee's chair of that year, and nobody else. On a laptop (1366 px), then the same pages on a
phone (390 px), with no sideways scroll and a screenshot of each for a person to look at."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from crm.demo.loader import load_demo
from crm.extensions import db
from tests.journeys.layout import no_sideways_scroll

pytestmark = pytest.mark.browser

LIST_NAME = "DROI members"
IN_2018 = "2018-06-01"


@pytest.fixture
def demo(app):
    load_demo()
    db.session.commit()


def test_save_droi_members_and_export_them(page, sign_in, demo, tmp_path, artifacts, script_errors):
    sign_in("editor")
    page.locator("nav.navbar").get_by_role("link", name="People", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People")

    _filter_by_droi_in_2018(page)
    results = page.locator("table.people-table tbody tr")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Panzeri, Pier Antonio")
    expect(page.locator("#result-count")).to_contain_text("1 person")

    page.get_by_role("link", name="Save this list").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Save this list")
    expect(page.locator("main")).to_contain_text("members of DROI on 1 June 2018")
    page.get_by_label("Name").fill(LIST_NAME)
    page.get_by_label("Live", exact=False).check()
    page.get_by_role("button", name="Save the list").click()
    expect(page.locator(".alert-success")).to_contain_text(f"Saved “{LIST_NAME}” (live): 1 person.")

    page.locator("nav.navbar").get_by_role("link", name="Lists", exact=True).click()
    row = page.locator("table.saved-lists tbody tr").filter(has_text=LIST_NAME)
    expect(row).to_contain_text("members of DROI on 1 June 2018")
    expect(row.locator("td").nth(3)).to_have_text("1")
    row.get_by_role("link", name=LIST_NAME).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(LIST_NAME)

    family_names = _export_xlsx(page, tmp_path)
    assert family_names == [("Panzeri", "Pier Antonio")]
    page.screenshot(path=artifacts / "saved-list-1366.png", full_page=True)

    # The list is a filter like the others: the people list shows its people, under its name.
    page.get_by_role("link", name="Show the person").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"People in “{LIST_NAME}”")
    expect(page.locator("table.people-table tbody tr")).to_have_count(1)

    page.set_viewport_size({"width": 390, "height": 800})
    for path in ("/contacts/lists", page.url):
        page.goto(path)
        no_sideways_scroll(page)
    _filter_by_droi_in_2018(page)
    no_sideways_scroll(page)
    page.screenshot(path=artifacts / "saved-list-people-390.png", full_page=True)
    page.get_by_role("link", name="Save this list").click()
    no_sideways_scroll(page)
    page.goto("/contacts/lists")
    page.locator("table.saved-lists").get_by_role("link", name=LIST_NAME).click()
    no_sideways_scroll(page)
    page.screenshot(path=artifacts / "saved-list-390.png", full_page=True)
    assert script_errors == []


def _filter_by_droi_in_2018(page: Page) -> None:
    """Member of: type, pick the committee from the suggestions (it becomes a ticked box); the day; Search."""
    member_of = page.get_by_label("Member of")
    member_of.fill("DROI")
    page.locator(".lookup-menu").get_by_role("option", name="Subcommittee on Human Rights (DROI)").click()
    expect(page.locator("#organisation-chips")).to_contain_text("Subcommittee on Human Rights (DROI)")
    expect(member_of).to_have_value("")
    page.get_by_label("Roles held on").fill(IN_2018)
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#organisation-chips input[name=organisation_id]:checked")).to_have_count(1)


def _export_xlsx(page: Page, tmp_path) -> list[tuple[str, str]]:
    """Export › This list as Excel, downloaded by the browser and opened with openpyxl: (family, given) names."""
    page.get_by_role("button", name="Export", exact=True).click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="This list as Excel (.xlsx)").click()
    download = download_info.value
    assert download.failure() is None
    assert download.suggested_filename.startswith("people-") and download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    workbook = load_workbook(path, read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    header = rows[0]
    family, given = header.index("Family name"), header.index("Given name")
    return [(row[family], row[given]) for row in rows[1:]]
