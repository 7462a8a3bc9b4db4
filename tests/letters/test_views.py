"""The Letters pages through the CSRF-enforcing client: upload, write, merge, download, log; viewers read only."""

from __future__ import annotations

import io
import zipfile

from crm.extensions import db
from crm.letters.models import LetterMerge, LetterTemplate
from tests.letters.helpers import docx_with, sample_bytes


def _upload(client, data: bytes, name: str = "Appeal", filename: str = "appeal.docx"):
    client.get("/letters/")
    return client.post(
        "/letters/templates",
        data={"name": name, "campaign_id": "", "file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def test_editor_uploads_writes_merges_and_logs(client, auth, demo):
    client.application.config["LETTERS_SOFFICE"] = "/nonexistent/soffice"  # the no-PDF path, wherever it runs
    auth.login("editor")
    assert _upload(client, sample_bytes()).status_code == 302
    template = db.session.scalar(db.select(LetterTemplate))
    page = client.get(f"/letters/write?campaign_id={demo.id}")
    assert page.status_code == 200
    form = {"template_id": template.id, "campaign_id": demo.id, "letter_date": "2026-12-07", "fallback_language": "en"}
    preview = client.post(f"/letters/write?campaign_id={demo.id}", data=form | {"action": "preview"})
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Tunne Kelam" in text and "1047 BRUXELLES" in text
    assert "Nursultan Abishevich Nazarbayev</a>: no postal address" in text
    merged = client.post("/letters/write", data=form | {"action": "merge"})
    assert merged.status_code == 302
    merge = db.session.scalar(db.select(LetterMerge))
    detail = client.get(merged.location).get_data(as_text=True)
    assert "PDF needs LibreOffice" in detail and "no postal address" in detail
    download = client.get(f"/letters/merges/{merge.id}/zip")
    with zipfile.ZipFile(io.BytesIO(download.data)) as archive:
        assert any(name.endswith("Tunne Kelam.docx") for name in archive.namelist())
    assert client.get(f"/letters/merges/{merge.id}/pdf").status_code == 302  # no LibreOffice: back, with why
    assert client.post(f"/letters/merges/{merge.id}/log").status_code == 302
    db.session.refresh(merge)
    assert merge.outreach_id is not None


def test_the_write_page_says_whom_the_letters_go_to_before_a_preview(client, auth, demo):
    auth.login("editor")
    page = client.get(f"/letters/write?campaign_id={demo.id}").get_data(as_text=True)
    assert "To: the campaign&#39;s people" in page or "To: the campaign's people" in page


def test_a_refused_upload_shows_the_reason(client, auth):
    auth.login("editor")
    answer = _upload(client, docx_with("{{ salutaton }}"))
    assert answer.status_code == 422
    assert "did you mean {{ salutation }}?" in answer.get_data(as_text=True)
    assert db.session.scalar(db.select(LetterTemplate)) is None


def test_forms_need_their_csrf_token(client, auth):
    auth.login("editor")
    answer = client.post(
        "/letters/templates",
        data={"name": "x", "file": (io.BytesIO(sample_bytes()), "x.docx")},
        content_type="multipart/form-data",
        csrf=False,
    )
    assert answer.status_code in (400, 422)
    assert db.session.scalar(db.select(LetterTemplate)) is None


def test_viewers_read_but_change_nothing(client, auth, demo):
    auth.login("viewer")
    page = client.get("/letters/").get_data(as_text=True)
    assert "Upload a template" not in page and "Write letters" not in page
    assert client.get("/letters/write").status_code == 403
    assert _upload(client, sample_bytes()).status_code == 403
    assert client.post("/letters/templates/sample").status_code == 403


def test_editors_may_not_delete_templates_admins_may(client, auth):
    auth.login("editor")
    _upload(client, sample_bytes())
    template = db.session.scalar(db.select(LetterTemplate))
    assert client.post(f"/letters/templates/{template.id}/delete").status_code == 403
    auth.logout()
    auth.login("admin")
    client.get("/letters/")
    assert client.post(f"/letters/templates/{template.id}/delete").status_code == 302
    assert db.session.scalar(db.select(LetterTemplate)) is None
