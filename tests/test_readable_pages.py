"""The pages issue 17 names say words, not codes: a record's history, a reply's channel, a person's
lawful basis, the audit log, an attachment's size (tests/test_crawl.py checks every page of the demo)."""

from __future__ import annotations

import io
from datetime import date

from crm.extensions import db
from crm.outreach.attachments import store
from crm.outreach.service import close_outreach
from tests.factories import make_outreach, make_person, make_response
from tests.readable import page_text, raw_values


def test_an_outreach_page_and_its_history_say_words(app, client, auth):
    mukhtar = make_person("Dzhakishev", "Mukhtar")
    outreach = make_outreach("Parole hearing", to=[mukhtar, make_person("Kelam", "Tunne")], sent_on=date(2019, 9, 1))
    reply = make_response(outreach, mukhtar, channel="written_answer", received_on=date(2019, 9, 10))
    close_outreach(outreach, actor=None)
    store([("answer.pdf", io.BytesIO(b"%PDF-1.4 " + b"x" * 291))], actor=None, response=reply)
    db.session.commit()
    auth.login("viewer")
    html = client.get(f"/outreach/{outreach.id}").get_data(as_text=True)
    text = page_text(html)

    assert "Written answer" in text  # the reply's channel
    assert "Status Awaiting reply → Closed" in text  # the history of the closing
    assert "Sent on 01 Sep 2019" in text  # a date in the history, as everywhere
    assert "answer.pdf (300 bytes)" in text and "0 KB" not in text
    assert raw_values(html) == []


def test_the_person_page_and_the_audit_log_say_the_lawful_basis_in_words(app, client, auth):
    person = make_person("Benifei", "Brando", lawful_basis="legitimate_interests")
    auth.login("admin")
    for url in (f"/contacts/people/{person.id}", "/admin/audit"):
        html = client.get(url).get_data(as_text=True)
        assert "Legitimate interests" in page_text(html), url
        assert raw_values(html) == [], url
