"""The combined document: every letter in order, each on its own page, read without opening each as a package."""

from __future__ import annotations

import io

from docx import Document

from crm.letters import render
from crm.letters.fields import sample_fields
from crm.letters.render import combine, letter_environment, render_letter
from tests.letters.helpers import sample_bytes


def _letters(*names: str) -> list[bytes]:
    environment = letter_environment()
    return [
        render_letter(sample_bytes(), sample_fields() | {"salutation": f"Dear {name}"}, environment) for name in names
    ]


def test_the_letters_follow_one_another_each_on_a_new_page(app):
    combined = Document(io.BytesIO(combine(_letters("Mr Kelam", "Ms Novak", "Dr Müller"))))
    salutations = [p.text for p in combined.paragraphs if p.text.startswith("Dear ")]
    assert salutations == ["Dear Mr Kelam,", "Dear Ms Novak,", "Dear Dr Müller,"]
    assert combined.element.body.xml.count('w:type="page"') == 2
    ids = [drawing.get("id") for drawing in combined.element.body.iter(render.qn("wp:docPr"))]
    assert len(ids) == len(set(ids))


def test_only_the_first_letter_is_opened_as_a_word_document(app, monkeypatch):
    # Opening each letter with python-docx took 5 ms a letter: most of a thousand-letter merge's combining.
    opened = []

    def counting_document(stream):
        opened.append(stream)
        return Document(stream)

    monkeypatch.setattr(render, "Document", counting_document)
    combine(_letters(*(f"Reader {number}" for number in range(5))))
    assert len(opened) == 1
