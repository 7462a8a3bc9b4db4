"""Journey: a viewer clicks every item of every Export menu, on a laptop and on a phone (390 px, where the top
bar folds into a Menu button), and opens each file: its header row, and a record of the demo in it.

The items are read from the menus, so a new one is clicked (and needs a check below) without anyone adding
it here. The live server runs the production configuration, CSRF on.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Download, Locator, Page, expect

from crm.demo.campaign import CAMPAIGN
from crm.demo.loader import load_demo
from crm.demo.outreach import OUTREACH
from crm.extensions import db

pytestmark = pytest.mark.browser

# The top-bar links to the lists that have an Export menu.
LISTS = ("People", "Organisations", "Outreach")
# The first columns of each file: the importer's own labels for people, so the export reads back in.
HEADERS = {
    "people": ("ID", "External ID", "Honorific", "Given name", "Family name"),
    "organisations": ("ID", "Name", "Short name"),
    "outreach": ("ID", "Date", "Kind", "Subject", "Campaign"),
    "responses": ("ID", "Outreach ID", "Outreach subject", "Campaign"),
    "people-import-template": ("ID", "External ID", "Honorific", "Given name", "Family name"),
}
ANSWERED = next(entry for entry in OUTREACH if entry.responses)
# kind → (column, value) pairs one row of the file must hold: a record of the demo.
KNOWN = {
    "people": {"Family name": "Dzhakishev", "Given name": "Mukhtar"},
    "organisations": {"Name": "Freedom House"},
    "outreach": {"Subject": ANSWERED.subject, "Campaign": CAMPAIGN.name},
    "responses": {"Outreach subject": ANSWERED.subject, "Summary": ANSWERED.responses[0].summary},
    "people-import-template": {},  # blank: a header and dropdowns, no records
}
EVERY_FILE = {
    "people.xlsx",
    "people.csv",
    "people-import-template.xlsx",
    "organisations.xlsx",
    "organisations.csv",
    "outreach.xlsx",
    "outreach.csv",
    "responses.xlsx",
    "responses.csv",
}
DATED = re.compile(r"^(?P<kind>[a-z]+)-\d{4}-\d{2}-\d{2}\.(?P<format>xlsx|csv)$")


@pytest.fixture
def demo(app):
    load_demo()
    db.session.commit()


@pytest.mark.parametrize("width", [1366, 390], ids=["laptop", "phone"])
def test_every_export_menu_item_downloads_a_file_that_opens(
    page, sign_in, demo, width, tmp_path, artifacts, script_errors
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/login")
    expect(page.locator('form.login-form input[name="csrf_token"]')).to_have_count(1)  # CSRF on, as in production
    sign_in("viewer")

    downloaded, problems = set(), []
    for name in LISTS:
        _open_list(page, name, width)
        list_url = page.url
        menu = page.locator("main .dropdown").filter(has=page.get_by_role("button", name="Export", exact=True))
        labels = [label.strip() for label in menu.locator(".dropdown-item").all_text_contents()]
        assert len(labels) >= 2, f"the {name} Export menu offers {labels}"
        for label in labels:
            _open_menu(menu)
            if name == "People" and label == labels[0]:
                page.screenshot(path=artifacts / f"export-menu-{width}.png")
            clicked = f"{name} › {label}"
            try:
                download = _download(page, menu.get_by_role("link", name=label, exact=True))
            except Refused as refused:
                problems.append(f"{clicked}: {refused}")
                page.goto(list_url)
                continue
            assert download.failure() is None, f"{clicked}: {download.failure()}"
            path = tmp_path / f"{width}-{download.suggested_filename}"
            download.save_as(path)
            downloaded.add(_check_file(path, download.suggested_filename, clicked))

    assert not problems, "\n".join(problems)
    assert downloaded == EVERY_FILE
    assert script_errors == []


class Refused(Exception):
    """The server answered a menu item with an error page instead of a file."""


def _download(page: Page, link: Locator) -> Download:
    path = urlsplit(link.get_attribute("href")).path
    # The answer comes before the download: an error page fails at once, not after the download's timeout.
    with page.expect_download() as download_info:
        with page.expect_response(lambda answer: urlsplit(answer.url).path == path) as answer_info:
            link.click()
        if answer_info.value.status != 200:
            raise Refused(f"GET {path} answered {answer_info.value.status}")
    return download_info.value


def _open_list(page: Page, name: str, width: int) -> None:
    """Through the top bar, as a person does: on a phone it is folded behind the Menu button."""
    toggler = page.get_by_role("button", name="Menu")
    if width < 1200:  # Bootstrap's navbar-expand-xl folds below 1200 px
        expect(toggler).to_be_visible()
        toggler.click()
    else:
        expect(toggler).to_be_hidden()
    page.locator("nav.navbar").get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)


def _open_menu(menu) -> None:
    items = menu.locator(".dropdown-menu")
    if not items.is_visible():
        menu.get_by_role("button", name="Export", exact=True).click()
    expect(items).to_be_visible()


def _check_file(path: Path, file_name: str, clicked: str) -> str:
    """Open the file, check its header and a known record; return what it is, e.g. "people.csv"."""
    dated = DATED.match(file_name)
    kind, fmt = (dated["kind"], dated["format"]) if dated else (Path(file_name).stem, Path(file_name).suffix[1:])
    assert kind in HEADERS, f"{clicked} gave {file_name}: a file this journey does not know how to check"
    rows = _rows(path, fmt)
    assert rows, f"{clicked}: {file_name} is empty"
    header = tuple(rows[0])
    assert header[: len(HEADERS[kind])] == HEADERS[kind], f"{clicked}: {file_name} starts {header[:8]}"
    wanted = KNOWN[kind]
    if wanted:
        records = [dict(zip(header, row, strict=False)) for row in rows[1:]]
        assert any(all(record.get(column) == value for column, value in wanted.items()) for record in records), (
            f"{clicked}: no row of {file_name} has {wanted}; first rows: {rows[1:4]}"
        )
    return f"{kind}.{fmt}"


def _rows(path: Path, fmt: str) -> list[tuple]:
    if fmt == "xlsx":
        workbook = load_workbook(path, read_only=True)
        rows = list(workbook.worksheets[0].iter_rows(values_only=True))
        workbook.close()
        return rows
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return [tuple(row) for row in csv.reader(handle)]
