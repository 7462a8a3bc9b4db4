"""Messy mail: encoded-word headers, broken MIME, huge or executable attachments, scripts, fake .msg files."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from crm.extensions import db
from crm.mailbox.filing import file_message
from crm.mailbox.html_text import html_to_text
from crm.mailbox.models import TriageMessage
from crm.mailbox.parse import NotAnEmail, normalise_subject, read_email
from crm.outreach.models import Outreach, Participant
from tests.factories import make_outreach, make_person
from tests.mailbox.conftest import make_email

# Hand-written, as a Russian and a Polish mail program send them: encoded-words in KOI8-R, UTF-8 and ISO-8859-2.
CYRILLIC = (
    b"""From: =?KOI8-R?B?8MXU0s/XIOnXwc4=?= <ivan@example.ru>
To: campaign@example.org
Subject: =?UTF-8?B?0J7RgtCy0LXRgjog0KHQstC+0LHQvtC00YMg0JzRg9GF0YLQsNGA0YM=?=
Date: Tue, 21 Nov 2017 10:00:00 +0300
Message-ID: <cyr-1@example.ru>
MIME-Version: 1.0
Content-Type: text/plain; charset=koi8-r
Content-Transfer-Encoding: 8bit

"""
    + "Спасибо за письмо.".encode("koi8-r")
    + b"\n"
)

POLISH = b"""From: =?ISO-8859-2?Q?Ma=B3gorzata_=AF=F3=B3w?= <malgorzata@example.pl>
To: campaign@example.org
Subject: =?ISO-8859-2?Q?Odp:_Wi=EAzie=F1_polityczny?=
Date: Wed, 22 Nov 2017 12:00:00 +0100
Message-ID: <pl-1@example.pl>
Content-Type: text/plain; charset=utf-8

Dzi\xc4\x99kuj\xc4\x99.
"""

BROKEN = b"""From: someone@example.net
Subject: broken
Message-ID: <broken-1@example.net>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="never-closed"

--never-closed
Content-Type: text/plain; charset=no-such-charset
Content-Transfer-Encoding: base64

!!!not base64!!!
--never-closed
Content-Type: application/pdf; name="a.pdf"
Content-Disposition: attachment; filename="a.pdf"
"""


def test_cyrillic_encoded_words_are_decoded():
    parsed = read_email(CYRILLIC)
    assert parsed.sender.name == "Петров Иван" and parsed.sender.address == "ivan@example.ru"
    assert parsed.subject == "Ответ: Свободу Мухтару"
    assert normalise_subject(parsed.subject) == "свободу мухтару"
    assert parsed.text == "Спасибо за письмо."


def test_polish_encoded_words_are_decoded():
    parsed = read_email(POLISH)
    assert parsed.sender.name == "Małgorzata Żółw"
    assert parsed.subject == "Odp: Więzień polityczny" and normalise_subject(parsed.subject) == "więzień polityczny"
    assert parsed.text == "Dziękuję."


def test_a_polish_reply_by_subject_is_filed(app):
    person = make_person("Żółw", "Małgorzata", emails=("malgorzata@example.pl",))
    outreach = make_outreach("Więzień polityczny", to=[person], sent_on=date(2017, 11, 1))
    result = file_message(POLISH, origin="imap", actor=None)
    assert result.status == "reply" and result.outreach_id == outreach.id


def test_broken_mime_is_filed_as_far_as_it_can_be_read_with_a_note(app):
    result = file_message(BROKEN, origin="imap", actor=None)
    assert result.status == "triage"
    assert any("malformed" in note for note in result.notes)


def test_a_25_mb_attachment_is_dropped_with_a_note_and_the_reply_kept(app):
    person = make_person(emails=("mukhtar@example.org",))
    outreach = make_outreach("Parole hearing", to=[person])
    db.session.scalar(select(Participant)).message_id = "<ask@crm>"
    db.session.commit()
    big = b"%PDF-1.4 " + b"0" * (25 * 1024 * 1024)
    raw = make_email(in_reply_to="<ask@crm>", attachments=(("scan.pdf", big, "application/pdf"),))
    result = file_message(raw, origin="imap", actor=None)
    assert result.status == "reply"
    assert any("scan.pdf (25 MB) was not kept" in note for note in result.notes)
    db.session.expire_all()
    assert db.session.get(Outreach, outreach.id).responses[0].attachments == []


def test_an_executable_attachment_is_not_stored_and_said_so(app, staff):
    make_person(emails=("mukhtar@example.org",))
    raw = make_email(
        sender="editor@example.org",
        to="mukhtar@example.org",
        attachments=(
            ("invoice.pdf", b"MZ\x90\x00 a program", "application/pdf"),
            ("setup.exe", b"MZ\x90\x00", "application/octet-stream"),
            ("letter.pdf", b"%PDF-1.4 fine", "application/pdf"),
        ),
    )
    result = file_message(raw, origin="imap", actor=None)
    assert [a.filename for a in db.session.get(Outreach, result.outreach_id).attachments] == ["letter.pdf"]
    assert any("invoice.pdf is a program" in note for note in result.notes)
    assert any("setup.exe" in note for note in result.notes)


def test_html_bodies_lose_scripts_and_remote_images():
    html = (
        '<p>Dear team,</p><script>alert("x")</script><img src="https://tracker.example/pixel.gif">'
        '<p onclick="evil()">We <b>will</b> raise it.</p><style>p {color: red}</style>'
    )
    text = html_to_text(html)
    assert text == "Dear team,\n\nWe will raise it."
    parsed = read_email(make_email(body="", html=html))
    assert "alert" not in parsed.text and "tracker" not in parsed.text and "raise it" in parsed.text


def test_a_file_that_is_not_an_email_is_refused_with_one_line(app):
    with pytest.raises(NotAnEmail) as refused:
        file_message(b"%PDF-1.4 a letter", filename="letter.eml", origin="upload", actor=None)
    assert "not an email" in str(refused.value)
    with pytest.raises(NotAnEmail):
        file_message(b"just some words\nin a text file\n", filename="notes.eml", origin="upload", actor=None)
    assert db.session.scalars(select(TriageMessage)).all() == []


def test_a_fake_msg_is_refused_with_one_line(app):
    with pytest.raises(NotAnEmail) as refused:
        file_message(b"This is not an Outlook file", filename="reply.msg", origin="upload", actor=None)
    assert "not an Outlook message" in str(refused.value) and "\n" not in str(refused.value)


def test_an_ole_file_that_is_not_a_message_is_refused(app):
    fake = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    with pytest.raises(NotAnEmail) as refused:
        file_message(fake, filename="reply.msg", origin="upload", actor=None)
    assert "Outlook" in str(refused.value)
