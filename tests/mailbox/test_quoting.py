"""A reply keeps what its writer added, not the message of ours they quote below it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crm.extensions import db
from crm.mailbox.filing import file_message
from crm.mailbox.quoting import written_above_quote
from crm.outreach.models import Response
from tests.factories import make_person
from tests.mailbox.conftest import make_email
from tests.mailbox.test_filing import _sent_to

REPLY = "Thank you. I raised the case with the Commissioner today.\n\nTunne Kelam"
QUOTED = {
    "gmail": "On Mon, 20 Nov 2017 at 09:30, Campaign <campaign@example.org> wrote:\n> Dear Mr Kelam,\n>\n> Mukhtar …",
    "thunderbird, wrapped": "On 20.11.2017 09:30, Campaign wrote:\n> Dear Mr Kelam,",
    "German": "Am 20.11.2017 um 09:30 schrieb Campaign <campaign@example.org>:\n> Sehr geehrter Herr Abgeordneter,",
    "French": "Le lun. 20 nov. 2017 à 09:30, Campaign <campaign@example.org> a écrit :\n> Monsieur le Député,",
    "Outlook": "-----Original Message-----\nFrom: Campaign <campaign@example.org>\nSent: 20 November 2017 09:30\nTo: Kelam",
    "Outlook, underscores": "________________________________\nFrom: Campaign\nSent: Monday, 20 November 2017 09:30\nSubject: x",
    "Outlook, no separator": "From: Campaign <campaign@example.org>\nSent: Monday, 20 November 2017 09:30\nTo: Tunne Kelam",
    "bare quote": "> Dear Mr Kelam,\n> Mukhtar Dzhakishev has been in prison since 2009.",
}


@pytest.mark.parametrize("style", QUOTED)
def test_the_quoted_message_is_cut_off(style):
    assert written_above_quote(f"{REPLY}\n\n{QUOTED[style]}\n") == REPLY


def test_a_message_with_nothing_quoted_or_only_a_quote_is_kept_whole():
    assert written_above_quote(f"{REPLY}\n") == REPLY
    assert written_above_quote("> only a quote\n> of ours") == "> only a quote\n> of ours"
    assert written_above_quote("From: the first line of a story\nthat goes on") == (
        "From: the first line of a story\nthat goes on"
    )


def test_a_filed_reply_keeps_only_what_they_wrote(app):
    kelam = make_person("Kelam", "Tunne", emails=("tunne.kelam@example.eu",))
    _sent_to(kelam, subject="Parole hearing")
    raw = make_email(
        sender="Tunne Kelam <tunne.kelam@example.eu>",
        body=f"{REPLY}\n\n{QUOTED['gmail']}\n",
        in_reply_to="<ask-1@crm.example.org>",
    )
    assert file_message(raw, origin="imap", actor=None).status == "reply"
    assert db.session.scalar(select(Response.summary)) == REPLY
