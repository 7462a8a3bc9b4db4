"""A staffer imports a colleague's messy delegation list through the wizard: upload, check the columns,
read the preview, import in the background (the progress page survives a reload), download the rows
that were refused, fix nothing yet, and undo the whole batch.

The live server here has a real background worker (Huey on an SQLite queue, threads), as `make run`
has, rather than running jobs inline.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect
from sqlalchemy import func, select

from crm import create_app
from crm.contacts.models import Person
from crm.extensions import db
from crm.jobs import huey
from tests.journeys.conftest import serve
from tests.settings import app_config

pytestmark = pytest.mark.browser

ROWS = [
    ["Zdechovský", "Tomáš", " Tomas.Zdechovsky@EP.europa.eu ", "Česká republika", "EPP"],
    ["Kelam", "Tunne", "tunne.kelam@europarl.europa.eu", "Estonia", "EPP"],
    ["Štětina", "Jaromír", "jaromir.stetina(at)ep.europa.eu", "CZ", "EPP"],
    [],
    ["Total", None, None, None, 3],
]


@pytest.fixture
def live_server(app, database_dir, tmp_path) -> Iterator[str]:
    live_app = create_app(
        app_config(database_dir, WTF_CSRF_ENABLED=True, JOBS_IMMEDIATE=False, JOBS_URL=str(tmp_path / "jobs.sqlite3"))
    )
    consumer = huey(live_app).create_consumer(workers=1, worker_type="thread", check_worker_health=False)
    consumer.start()
    try:
        yield from serve(live_app)
    finally:
        consumer.stop(graceful=True)


@pytest.fixture
def delegation_list(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet["A1"] = "Delegation to the EU-Kazakhstan Parliamentary Cooperation Committee"
    sheet.merge_cells("A1:E1")
    sheet.append([])
    sheet.append(["Surname", "First name", "E-mail", "Member State", "Political group"])
    for row in ROWS:
        sheet.append(row)
    path = tmp_path / "delegation.xlsx"
    book.save(path)
    return path


def count_people() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Person))


def test_import_wizard_end_to_end(page, sign_in, delegation_list, artifacts, script_errors, tmp_path):
    sign_in("editor")
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("Spreadsheet").set_input_files(str(delegation_list))
    page.get_by_role("button", name="Upload and continue").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("delegation.xlsx")
    expect(page.get_by_text("Header found in row 3")).to_be_visible()
    expect(page.get_by_label("Field for column Member State")).to_have_value("country")
    expect(page.get_by_label("Field for column Surname")).to_have_value("family_name")
    page.get_by_label("Tags for every row").fill("EU-KZ delegation")
    page.screenshot(path=artifacts / "import-mapping.png", full_page=True)
    page.get_by_role("button", name="Preview").click()

    expect(page.locator('[data-count="created"]')).to_have_text("2")
    expect(page.locator('[data-count="rejected"]')).to_have_text("1")
    expect(page.get_by_role("cell", name="E-mail").first).to_be_visible()
    page.screenshot(path=artifacts / "import-preview.png", full_page=True)
    assert count_people() == 0

    page.get_by_role("button", name="Import 2 rows").click()
    expect(page.locator(".badge", has_text="imported")).to_be_visible(timeout=30_000)
    page.reload()  # the result is the batch's, not the browser's
    expect(page.locator('[data-count="created"]')).to_have_text("2")
    page.screenshot(path=artifacts / "import-result.png", full_page=True)
    assert count_people() == 2

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the rows not imported (.xlsx)").click()
    error_file = tmp_path / "errors.xlsx"
    download.value.save_as(error_file)
    rows = list(load_workbook(error_file).active.iter_rows(values_only=True))
    assert rows[0][-1] == "Errors"
    assert rows[1][1:3] == ("Štětina", "Jaromír") and "E-mail" in rows[1][-1]

    page.get_by_role("link", name="Undo this import…").click()
    page.get_by_role("button", name="Undo this import").click()
    expect(page.locator(".alert-warning", has_text="2 people removed")).to_be_visible()
    assert count_people() == 0
    page.get_by_role("link", name="Import", exact=True).click()
    expect(page.locator("table").get_by_text("undone")).to_be_visible()
    assert script_errors == []
