"""The pages: dropping an .eml on a person page, the Log an email page, and the triage list (CSRF on)."""

from __future__ import annotations

import io

from sqlalchemy import select

from crm.audit.models import AuditEntry
from crm.extensions import db
from crm.mailbox.filing import file_message
from crm.mailbox.models import TriageMessage
from crm.outreach.models import Outreach
from tests.factories import make_campaign, make_outreach, make_person
from tests.mailbox.conftest import make_email
from tests.web import form_with


def _drop_form(page: str):
    return form_with(page, "email_file")


def test_an_eml_dropped_on_a_person_page_is_filed_with_that_person(app, client, auth):
    mukhtar = make_person(emails=("mukhtar@example.org",))
    auth.login("editor")
    page = client.get(f"/contacts/people/{mukhtar.id}").get_data(as_text=True)
    form = _drop_form(page)
    data = form.data()
    data["email_file"] = (io.BytesIO(make_email(sender="someone@example.net", subject="About him")), "note.eml")
    answer = client.post(form.action, data=data, content_type="multipart/form-data")
    assert answer.status_code == 302
    [outreach] = db.session.scalars(select(Outreach)).all()
    assert answer.location.endswith(f"/outreach/{outreach.id}")
    assert [p.person_id for p in outreach.participants] == [mukhtar.id]


def test_a_file_that_is_not_an_email_dropped_on_a_person_page_is_one_line(app, client, auth):
    mukhtar = make_person(emails=("mukhtar@example.org",))
    auth.login("editor")
    form = _drop_form(client.get(f"/contacts/people/{mukhtar.id}").get_data(as_text=True))
    data = form.data()
    data["email_file"] = (io.BytesIO(b"not outlook"), "reply.msg")
    answer = client.post(form.action, data=data, content_type="multipart/form-data", follow_redirects=True)
    assert "Not filed: reply.msg is not an Outlook message" in answer.get_data(as_text=True)


def test_the_log_page_files_and_refuses_without_csrf(app, client, auth):
    auth.login("editor")
    page = client.get("/mailbox/log")
    assert page.status_code == 200
    form = _drop_form(page.get_data(as_text=True))
    raw = make_email(sender="stranger@example.net")
    forged = client.post(
        "/mailbox/log", data={"email_file": (io.BytesIO(raw), "a.eml")}, content_type="multipart/form-data", csrf=False
    )
    assert forged.status_code == 400 and db.session.scalars(select(TriageMessage)).all() == []
    data = form.data()
    data["email_file"] = (io.BytesIO(raw), "a.eml")
    answer = client.post("/mailbox/log", data=data, content_type="multipart/form-data")
    [item] = db.session.scalars(select(TriageMessage)).all()
    assert answer.status_code == 302 and answer.location.endswith(f"/mailbox/triage/{item.id}")


def test_viewers_read_the_triage_list_but_get_no_forms(app, client, auth):
    file_message(make_email(sender="Stranger <stranger@example.net>", subject="<b>Hi</b>"), origin="imap", actor=None)
    auth.login("viewer")
    listing = client.get("/mailbox/triage").get_data(as_text=True)
    assert "stranger@example.net" in listing and "&lt;b&gt;Hi&lt;/b&gt;" in listing
    item = db.session.scalar(select(TriageMessage))
    detail = client.get(f"/mailbox/triage/{item.id}").get_data(as_text=True)
    assert "Thank you for your letter." in detail and "/discard" not in detail and "/attach" not in detail
    assert client.get("/mailbox/log").status_code == 403
    assert client.post(f"/mailbox/triage/{item.id}/discard").status_code == 403


def _triaged(client, sender="Aida Khalilova <aida@example.net>"):
    result = file_message(make_email(sender=sender, message_id=None, subject="A question"), origin="imap", actor=None)
    item = db.session.get(TriageMessage, result.triage_id)
    page = client.get(f"/mailbox/triage/{item.id}").get_data(as_text=True)
    return item, page


def test_discard_is_audited_and_undone(app, client, auth):
    auth.login("editor")
    item, page = _triaged(client)
    form = form_with(page, "csrf_token", button="Discard")
    answer = client.post(form.action, data=form.data())
    assert answer.status_code == 302
    db.session.expire_all()
    assert db.session.get(TriageMessage, item.id).state == "discarded"
    restored = client.post(f"/mailbox/triage/{item.id}/restore")
    assert restored.status_code == 302
    db.session.expire_all()
    assert db.session.get(TriageMessage, item.id).state == "open"
    actions = [
        e.action for e in db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "triage_message"))
    ]
    assert actions == ["discard", "restore"]


def test_create_the_unknown_sender_as_a_person(app, client, auth):
    auth.login("editor")
    item, _ = _triaged(client)
    answer = client.post(f"/mailbox/triage/{item.id}/create-sender")
    assert answer.status_code == 302
    db.session.expire_all()
    item = db.session.get(TriageMessage, item.id)
    assert item.state == "filed"
    outreach = db.session.get(Outreach, item.received.outreach_id)
    [participant] = outreach.participants
    assert participant.person.display_name == "Aida Khalilova" and participant.role == "from"
    assert participant.person.emails[0].address == "aida@example.net"


def test_attach_to_an_outreach_and_to_a_campaign(app, client, auth):
    aida = make_person("Khalilova", "Aida", emails=("aida@example.net",))
    outreach = make_outreach("Parole hearing", to=[aida])
    campaign = make_campaign()
    auth.login("editor")
    first, page = _triaged(client)
    form = form_with(page, "outreach_id")
    answer = client.post(form.action, data=form.data(outreach_id=str(outreach.id)))
    assert answer.status_code == 302
    db.session.expire_all()
    assert len(db.session.get(Outreach, outreach.id).responses) == 1
    second, page = _triaged(client, sender="Other <other@example.net>")
    form = form_with(page, "outreach_id")
    answer = client.post(form.action, data=form.data(campaign_id=str(campaign.id)))
    db.session.expire_all()
    filed = db.session.get(TriageMessage, second.id)
    assert filed.state == "filed" and db.session.get(Outreach, filed.received.outreach_id).campaign_id == campaign.id
