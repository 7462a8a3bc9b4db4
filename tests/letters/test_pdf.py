"""With LibreOffice installed (Debian's libreoffice-writer-nogui; `make test` installs it), a merge
also makes a PDF of the combined document, one letter a page, downloadable from the merge's page."""

from __future__ import annotations

import os
import re
import shutil

import pytest
from sqlalchemy import select

from crm.extensions import db
from crm.letters import storage
from crm.letters.models import LetterMerge, LetterTemplate
from tests.letters.helpers import sample_bytes
from tests.letters.test_merge import _letters, _merge
from tests.letters.test_views import _upload


@pytest.fixture
def libreoffice(app):
    if shutil.which("soffice") is None:
        message = "LibreOffice (soffice) is missing: `make test` installs Debian's libreoffice-writer-nogui"
        if os.environ.get("CI"):
            pytest.fail(f"{message} (CI is set, so this is a failure).", pytrace=False)
        pytest.skip(message)
    app.config["LETTERS_SOFFICE"] = "soffice"


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def test_a_merge_makes_a_pdf_of_every_letter(libreoffice, demo):
    merge = _merge(demo)
    assert merge.has_pdf and merge.pdf_note == ""
    pdf = (storage.merge_folder(merge.stored_name) / storage.PDF_NAME).read_bytes()
    # The sample letter carries the campaign's long description: two pages each, a page break between letters.
    assert pdf.startswith(b"%PDF") and _pages(pdf) == 2 * merge.letters
    assert _letters(merge)["All letters.pdf"] == pdf


def test_the_pdf_downloads_from_the_merge_page(libreoffice, client, auth, demo):
    auth.login("editor")
    assert _upload(client, sample_bytes()).status_code == 302
    template = db.session.scalar(select(LetterTemplate))
    form = {"template_id": template.id, "campaign_id": demo.id, "letter_date": "2026-12-07", "fallback_language": "en"}
    assert client.post("/letters/write", data=form | {"action": "merge"}).status_code == 302
    merge = db.session.scalar(select(LetterMerge))
    page = client.get(f"/letters/merges/{merge.id}").get_data(as_text=True)
    assert "PDF needs LibreOffice" not in page and f"/letters/merges/{merge.id}/pdf" in page
    download = client.get(f"/letters/merges/{merge.id}/pdf")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert download.data.startswith(b"%PDF") and _pages(download.data) == 2 * merge.letters
