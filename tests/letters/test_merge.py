"""Merging the sample letter for the demo campaign's MEPs: open what comes out and read it."""

from __future__ import annotations

import json
import zipfile
from datetime import date

import pytest
from docx import Document
from flask import current_app
from sqlalchemy import select

from crm.audit.models import AuditEntry
from crm.contacts.data import AddressData, PersonData
from crm.contacts.people import create_person
from crm.errors import InvalidInput
from crm.extensions import db
from crm.letters import storage
from crm.letters.audience import LetterSource
from crm.letters.models import LetterMerge
from crm.letters.service import PDF_MISSING, MergeRequest, MergeTemplate, log_merge, start_merge, template_for_path
from crm.letters.templates import add_sample_template
from crm.outreach.attachments import storage_dir
from crm.outreach.models import Attachment, Outreach
from crm.privacy.erasure import erase_person, remove_files
from tests.letters.conftest import person
from tests.letters.helpers import paragraphs

DAY = date(2026, 12, 7)
KELAM_BLOCK = "Mr Tunne Kelam\nParlement européen\nBâtiment Altiero Spinelli\nRue Wiertz 60\n1047 BRUXELLES\nBELGIUM"


def _merge(campaign, *, log=False, source=None, **request):
    template = template_for_path(storage.SAMPLE_TEMPLATE)
    merge = start_merge(
        MergeRequest(source or LetterSource(), letter_date=DAY, campaign_id=campaign.id, log=log, **request),
        template,
        actor=None,
    )
    db.session.commit()
    return merge


def _letters(merge) -> dict[str, bytes]:
    path = storage.merge_folder(merge.stored_name) / storage.ZIP_NAME
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _letter_to(merge, name: str) -> list[str]:
    [data] = [data for file_name, data in _letters(merge).items() if file_name.endswith(f"{name}.docx")]
    return paragraphs(data)


def test_the_demo_meps_get_their_letters_at_the_parliament(demo):
    merge = _merge(demo, sender="Lyudmyla Kozlovska")
    letters = [name for name in _letters(merge) if name[:3].isdigit()]
    assert merge.letters == len(letters) >= 17  # the 17 MEPs and anyone else on the campaign with an address
    kelam = _letter_to(merge, "Tunne Kelam")
    assert "Dear Mr Kelam," in kelam
    assert KELAM_BLOCK in kelam
    assert "7 December 2026" in kelam
    assert "Re: " + demo.name in kelam
    assert "Lyudmyla Kozlovska" in kelam
    # His seat ended with the 8th term: on this date he holds no title, so the letter names none.
    assert not any("Member of the European Parliament" in line for line in kelam)


def test_the_title_is_the_one_held_on_the_letters_date(demo):
    template = template_for_path(storage.SAMPLE_TEMPLATE)
    merge = start_merge(
        MergeRequest(LetterSource(person_ids=[person("Kelam").id]), letter_date=date(2017, 12, 1)), template, actor=None
    )
    text = " ".join(_letter_to(merge, "Tunne Kelam"))
    assert "as Member of the European Parliament, European Parliament" in text
    assert "1 December 2017" in text


def test_the_date_and_salutation_are_in_the_letters_language(demo):
    scholz = person("Scholz")
    scholz.languages = "de"
    db.session.commit()
    merge = _merge(demo)
    letter = _letter_to(merge, "Helmut Scholz")
    assert "7. Dezember 2026" in letter
    assert "Sehr geehrter Herr Abgeordneter Scholz," in letter
    # Nobody's language recorded: the fallback chosen for the merge.
    french = _merge(demo, fallback_language="fr")
    assert "Monsieur le Député," in _letter_to(french, "Tunne Kelam")
    assert "7 décembre 2026" in _letter_to(french, "Tunne Kelam")


def test_people_without_an_address_are_named_not_skipped(demo):
    merge = _merge(demo)
    left_out = json.loads(merge.left_out)
    nazarbayev = person("Nazarbayev")
    assert {"person_id": nazarbayev.id, "why": "no postal address"} in left_out
    assert nazarbayev.id not in json.loads(merge.person_ids)


def test_the_combined_document_has_one_letter_a_page(demo):
    merge = _merge(demo)
    combined = Document(storage.merge_folder(merge.stored_name) / storage.COMBINED_NAME)
    salutations = [p.text for p in combined.paragraphs if p.text.startswith("Dear ")]
    assert len(salutations) == merge.letters
    page_breaks = combined.element.body.xml.count('w:type="page"')
    assert page_breaks == merge.letters - 1
    assert "All letters.docx" in _letters(merge)


def test_without_libreoffice_there_is_no_pdf_and_it_says_why(demo):
    current_app.config["LETTERS_SOFFICE"] = "/nonexistent/soffice"
    merge = _merge(demo)
    assert not merge.has_pdf and merge.pdf_note == PDF_MISSING
    assert "All letters.pdf" not in _letters(merge)


def test_logging_makes_one_letter_outreach_each_participation_with_its_letter(demo):
    merge = _merge(demo, log=True)
    outreach = db.session.get(Outreach, merge.outreach_id)
    assert outreach.kind.code == "letter" and outreach.campaign_id == demo.id and outreach.sent_on == DAY
    assert outreach.recipient_count == merge.letters
    attachments = db.session.scalars(select(Attachment).where(Attachment.outreach_id == outreach.id)).all()
    assert len(attachments) == merge.letters
    by_person = {a.participant.person_id: a for a in attachments}
    kelam = by_person[person("Kelam").id]
    assert kelam.filename.endswith("Tunne Kelam.docx")
    assert "Dear Mr Kelam," in paragraphs((storage_dir() / kelam.stored_name).read_bytes())
    assert all(p.reply_state == "awaiting" for p in outreach.participants)
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "letter_merge")).action == "log"
    with pytest.raises(InvalidInput, match="logged already"):
        log_merge(merge, actor=None)


def test_values_are_escaped_not_markup(app):
    tricky = create_person(
        PersonData(
            family_name="O'Brien & <Sons>",
            given_name="Pat",
            honorific="Mr",
            addresses=[AddressData("1 <b>Main</b> Street", "D02", "Dublin", "IE")],
        ),
        actor=None,
    )
    template = template_for_path(storage.SAMPLE_TEMPLATE)
    merge = start_merge(MergeRequest(LetterSource(person_ids=[tricky.id]), letter_date=DAY), template, actor=None)
    [name] = [n for n in _letters(merge) if n[:3].isdigit()]
    text = "\n".join(paragraphs(_letters(merge)[name]))
    assert "Dear Mr O'Brien & <Sons>," in text
    assert "1 <b>Main</b> Street" in text


def test_nobody_to_write_to_is_refused(app):
    nobody = create_person(PersonData(family_name="Nowhere"), actor=None)
    template = template_for_path(storage.SAMPLE_TEMPLATE)
    with pytest.raises(InvalidInput, match="Nobody to write to"):
        start_merge(MergeRequest(LetterSource(person_ids=[nobody.id]), letter_date=DAY), template, actor=None)


def test_erasure_removes_their_letters(demo):
    merge = _merge(demo, log=True)
    kelam = person("Kelam")
    attachment = db.session.scalar(
        select(Attachment).where(Attachment.outreach_id == merge.outreach_id, Attachment.filename.contains("Kelam"))
    )
    path = storage_dir() / attachment.stored_name
    folder = storage.merge_folder(merge.stored_name)
    erasure = erase_person(kelam.id, "Asked to be forgotten", actor=None)
    db.session.commit()
    remove_files(erasure)
    assert erasure.counts["letters deleted"] == 1
    assert not path.exists() and not (folder / storage.ZIP_NAME).exists()
    assert merge.stored_name == ""


def test_a_big_merge_runs_as_a_job_after_the_commit(demo):
    current_app.config["LETTERS_BACKGROUND_AFTER"] = 5
    template = MergeTemplate.stored(add_sample_template(actor=None))
    merge = start_merge(MergeRequest(LetterSource(), letter_date=DAY, campaign_id=demo.id), template, actor=None)
    assert merge.status == "running" and not (storage.merge_folder(merge.stored_name) / storage.ZIP_NAME).exists()
    merge_id = merge.id
    db.session.commit()  # the job runs now (JOBS_IMMEDIATE in the tests)
    db.session.expire_all()
    merge = db.session.get(LetterMerge, merge_id)
    assert merge.status == "done" and merge.letters >= 17
    assert "Dear Mr Kelam," in _letter_to(merge, "Tunne Kelam")


def test_a_big_merge_that_fails_unexpectedly_is_failed_with_its_files_gone(demo, monkeypatch):
    from crm.letters import service

    current_app.config["LETTERS_BACKGROUND_AFTER"] = 5

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(service, "combine", full_disk)
    template = MergeTemplate.stored(add_sample_template(actor=None))
    merge = start_merge(MergeRequest(LetterSource(), letter_date=DAY, campaign_id=demo.id), template, actor=None)
    merge_id, stored = merge.id, merge.stored_name
    db.session.commit()  # the job runs now, and fails
    db.session.expire_all()
    merge = db.session.get(LetterMerge, merge_id)
    assert merge.status == "failed" and merge.error == service.UNEXPECTED
    assert list(storage.merge_folder(stored).iterdir()) == []  # (asking for the folder makes it again)


def test_a_merge_left_running_by_a_dead_worker_is_failed_by_the_chore(demo):
    from datetime import timedelta

    from crm.letters import service

    merge = _merge(demo)
    merge.status = "running"  # as a job whose worker died leaves it
    db.session.commit()
    assert service.fail_abandoned_merges() == []  # just queued, perhaps: not taken for dead yet
    merge.created_at -= service.ABANDONED_AFTER + timedelta(minutes=1)
    db.session.commit()
    assert service.fail_abandoned_merges() == [merge.id]
    db.session.expire_all()
    merge = db.session.get(LetterMerge, merge.id)
    assert merge.status == "failed" and merge.error == service.ABANDONED
