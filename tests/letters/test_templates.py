"""Uploading a Word template: accepted with its fields, or refused with one line and nothing kept."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import func, select

from crm.audit.models import AuditEntry
from crm.errors import Conflict
from crm.extensions import db
from crm.letters.docx_checks import TemplateRefused
from crm.letters.models import LetterTemplate
from crm.letters.templates import add_sample_template, delete_template, upload_template
from tests.letters.helpers import (
    docx_with,
    sample_bytes,
    spreadsheet_bytes,
    with_macro_content_type,
    with_remote_template,
    zip_bomb,
)


def _upload(data: bytes, filename: str = "letter.docx", name: str = ""):
    return upload_template(name, filename, io.BytesIO(data), campaign_id=None, actor=None)


def _stored_files() -> list[Path]:
    folder = Path(current_app.config["INSTANCE_DIR"]) / "letters" / "templates"
    return sorted(folder.glob("*")) if folder.exists() else []


def test_the_sample_is_accepted_with_its_fields(app):
    template = add_sample_template(actor=None)
    db.session.commit()
    assert template.name == "Sample letter"
    assert {"salutation", "address", "date", "campaign", "sender"} <= set(template.fields.split(","))
    assert Path(current_app.config["INSTANCE_DIR"], "letters", "templates", f"{template.stored_name}.docx").exists()
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "letter_template")).action == "upload"


def test_an_unknown_field_is_named_with_the_closest_known_one(app):
    with pytest.raises(TemplateRefused) as refused:
        _upload(docx_with("{{ salutaton }},", "{{ adress }}"))
    message = str(refused.value)
    assert "{{ salutaton }} (did you mean {{ salutation }}?)" in message
    assert "{{ adress }} (did you mean {{ address }}?)" in message


@pytest.mark.parametrize(
    ("make", "filename", "said"),
    [
        (lambda: sample_bytes(), "letter.docm", "macros"),
        (lambda: with_macro_content_type(sample_bytes()), "letter.docx", "macros"),
        (lambda: with_remote_template(sample_bytes()), "letter.docx", "attachedTemplate: http://attacker.example"),
        (lambda: b"\x00\x01 random bytes, not a zip" * 20, "letter.docx", "not a Word document"),
        (lambda: spreadsheet_bytes(), "letter.docx", "a spreadsheet"),
        (lambda: zip_bomb(), "letter.docx", "zip bomb"),
        (lambda: docx_with("Dear {{ salutation }"), "letter.docx", "cannot be read"),
        (lambda: docx_with("{{ salutation.__class__ }}"), "letter.docx", "is unsafe"),
        (lambda: docx_with("{{ salutation.nothing }}"), "letter.docx", "cannot be filled"),
        (lambda: docx_with("{{ salutation * 100000 }}"), "letter.docx", "Refused in the merge fields"),
        (lambda: sample_bytes(), "letter.pdf", "not a .docx"),
    ],
)
def test_bad_files_are_refused_with_one_line_and_nothing_kept(app, make, filename, said):
    before = _stored_files()
    with pytest.raises(TemplateRefused) as refused:
        _upload(make(), filename)
    db.session.rollback()
    message = " ".join(m for ms in refused.value.errors.values() for m in ms)
    assert said in message and "\n" not in message
    assert db.session.scalar(select(func.count()).select_from(LetterTemplate)) == 0
    assert _stored_files() == before


def test_the_syntax_error_names_the_paragraph(app):
    with pytest.raises(TemplateRefused, match="in “Dear {{ salutation }”"):
        _upload(docx_with("Intro", "Dear {{ salutation }"))


def test_uploads_are_bounded(app):
    current_app.config["LETTERS_MAX_TEMPLATE_BYTES"] = 1000
    with pytest.raises(TemplateRefused, match="larger than"):
        _upload(sample_bytes())


def test_hyperlinks_are_kept(app):
    from docx import Document
    from docx.opc.constants import RELATIONSHIP_TYPE

    document = Document(io.BytesIO(docx_with("{{ salutation }}, see our site")))
    document.part.relate_to("https://odfoundation.eu/", RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    output = io.BytesIO()
    document.save(output)
    assert _upload(output.getvalue()).fields == "salutation"


def test_names_are_unique_and_deleting_removes_the_record(app):
    template = _upload(docx_with("{{ salutation }}"), name="Appeal")
    with pytest.raises(Conflict):
        _upload(docx_with("{{ salutation }}"), name="appeal")
    delete_template(template, actor=None)
    db.session.commit()
    assert db.session.get(LetterTemplate, template.id) is None
