"""The outreach screens through the test client."""

import io
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crm.audit.service import history
from crm.extensions import db
from crm.outreach.attachments import MAX_BYTES
from crm.outreach.models import Attachment, Outreach, Response
from crm.outreach.queues import overdue_follow_ups
from crm.outreach.service import get_outreach
from tests.factories import (
    category_id,
    kind_id,
    make_campaign,
    make_organisation,
    make_outreach,
    make_person,
    make_response,
)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def meps(app):
    return [
        make_person("Kelam", "Tunne", category_id=category_id("MEP"), country="EE"),
        make_person("Paet", "Urmas", category_id=category_id("MEP"), country="EE"),
        make_person("Ward", "Julie", category_id=category_id("MEP"), country="GB"),
    ]


def outreach_form(*parties, **fields) -> dict:
    data = {
        "kind_id": kind_id("letter"),
        "sent_on": "2017-10-11",
        "subject": "Release Mukhtar Dzhakishev",
        "status": "sent",
    }
    for index, (party, role) in enumerate(parties):
        data[f"participants-{index}-party"] = party
        data[f"participants-{index}-party_label"] = "someone"
        data[f"participants-{index}-role"] = role
    data.update(fields)
    return data


def test_log_outreach_to_three_meps_and_record_a_reply(client, auth, meps):
    auth.login("editor")
    response = client.post("/outreach/new", data=outreach_form(*((f"p:{m.id}", "to") for m in meps)))
    assert response.status_code == 302
    outreach_id = int(response.location.rsplit("/", 1)[1])
    page = client.get(response.location).get_data(as_text=True)
    assert "0 of 3 recipients replied" in page and page.count("awaiting reply") == 3

    reply = client.post(
        f"/outreach/{outreach_id}/responses/new",
        data={
            "recipient": f"p:{meps[0].id}",
            "received_on": "2017-11-02",
            "channel": "letter",
            "summary": "Will raise it",
        },
    )
    assert reply.status_code == 302
    page = client.get(f"/outreach/{outreach_id}").get_data(as_text=True)
    assert "1 of 3 recipients replied" in page and "Will raise it" in page


def test_log_another_keeps_the_campaign(client, auth, meps):
    campaign = make_campaign()
    auth.login("editor")
    response = client.post(
        "/outreach/new", data=outreach_form((f"p:{meps[0].id}", "to"), campaign_id=campaign.id, next_action="another")
    )
    assert response.location == f"/outreach/new?campaign_id={campaign.id}"


def test_bad_input_is_named_and_nothing_is_saved(client, auth, meps):
    auth.login("editor")
    no_role = client.post("/outreach/new", data=outreach_form((f"p:{meps[0].id}", "to"), (f"p:{meps[1].id}", "")))
    assert no_role.status_code == 422 and "Choose a role" in no_role.get_data(as_text=True)
    typed = client.post(
        "/outreach/new",
        data={
            **outreach_form((f"p:{meps[0].id}", "to")),
            "participants-1-party_label": "Helmut Scholz",
            "participants-1-role": "to",
        },
    )
    assert typed.status_code == 422 and "Pick “Helmut Scholz” from the suggestions" in typed.get_data(as_text=True)
    assert count(Outreach) == 0

    letter = make_outreach("Release", to=meps)
    early = client.post(
        f"/outreach/{letter.id}/responses/new",
        data={"recipient": f"p:{meps[0].id}", "received_on": "2017-09-01", "channel": "letter"},
    )
    assert early.status_code == 422 and "before the outreach itself" in early.get_data(as_text=True)
    assert count(Response) == 0


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("big.pdf", b"%PDF" + b"0" * MAX_BYTES, "larger than 10 MB"),
        ("setup.exe", b"MZ\x90\x00", "this type of file is not accepted"),
        ("letter.pdf", b"MZ\x90\x00 a program in disguise", "is a program"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_bad_attachments_are_refused_and_nothing_is_kept(client, auth, meps, app, filename, content, message):
    storage = Path(app.config["INSTANCE_DIR"]) / "attachments"
    files_before = set(storage.iterdir()) if storage.exists() else set()
    auth.login("editor")
    data = outreach_form(
        (f"p:{meps[0].id}", "to"),
        attachments=[(io.BytesIO(b"%PDF-1.4 fine"), "ok.pdf"), (io.BytesIO(content), filename)],
    )
    response = client.post("/outreach/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert count(Outreach) == 0 and count(Attachment) == 0
    assert (set(storage.iterdir()) if storage.exists() else set()) == files_before


def test_attachment_is_stored_and_downloaded(client, auth, meps):
    auth.login("editor")
    data = outreach_form(
        (f"p:{meps[0].id}", "to"), attachments=[(io.BytesIO(b"%PDF-1.4 the letter"), "Letter to MEPs.pdf")]
    )
    response = client.post("/outreach/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    attachment = db.session.scalar(select(Attachment))
    auth.logout()
    auth.login("viewer")
    download = client.get(f"/outreach/attachments/{attachment.id}")
    assert download.data == b"%PDF-1.4 the letter"
    assert "attachment" in download.headers["Content-Disposition"] and download.mimetype == "application/pdf"


def test_bulk_outreach_from_a_people_filter(client, auth, meps):
    auth.login("editor")
    people_page = client.get(f"/contacts/people?category_id={category_id('MEP')}&country=EE").get_data(as_text=True)
    assert "Log outreach to these 2 people" in people_page
    form_page = client.get(f"/outreach/new?bulk=category_id%3D{category_id('MEP')}%26country%3DEE").get_data(
        as_text=True
    )
    assert "2 people" in form_page
    response = client.post("/outreach/new", data=outreach_form(bulk=f"category_id={category_id('MEP')}&country=EE"))
    assert response.status_code == 302
    outreach = db.session.scalar(select(Outreach))
    assert sorted(p.person.family_name for p in outreach.participants) == ["Kelam", "Paet"]
    assert {p.reply_state for p in outreach.participants} == {"awaiting"}


def test_chain_a_reply_into_new_outreach(client, auth, meps):
    commission = make_organisation("European Commission")
    letter = make_outreach("Please act", to=meps[:1])
    auth.login("editor")
    reply = client.post(
        f"/outreach/{letter.id}/responses/new",
        data={
            "recipient": f"p:{meps[0].id}",
            "received_on": "2017-10-20",
            "channel": "email",
            "action_taken": "Written question to the Commission",
            "next_action": "chain",
        },
    )
    assert reply.location.startswith("/outreach/new?prompted_by=")
    form_page = client.get(reply.location).get_data(as_text=True)
    assert "Written question to the Commission" in form_page and "Tunne Kelam" in form_page
    response_id = int(reply.location.rsplit("=", 1)[1])
    created = client.post(
        "/outreach/new",
        data=outreach_form(
            (f"p:{meps[0].id}", "from"),
            (f"o:{commission.id}", "to"),
            kind_id=kind_id("written_question"),
            sent_on="2017-10-20",
            subject="E-2017-007094",
            prompted_by_response_id=response_id,
        ),
    )
    question = get_outreach(int(created.location.rsplit("/", 1)[1]))
    assert question.prompted_by.outreach_id == letter.id
    page = client.get(f"/outreach/{question.id}").get_data(as_text=True)
    assert "This is the action reported in the reply of" in page and "Please act" in page


def test_close_and_delete_reply_ask_first(client, auth, meps):
    letter = make_outreach("Release", to=meps)
    auth.login("editor")
    assert "3 recipients still owe a reply" in client.get(f"/outreach/{letter.id}/close").get_data(as_text=True)
    assert client.post(f"/outreach/{letter.id}/close").status_code == 302
    db.session.expire_all()
    assert get_outreach(letter.id).status == "closed"


def test_awaiting_queue_page_and_party_lookup(client, auth, meps):
    make_outreach("Release", to=meps, sent_on=date(2017, 10, 11))
    make_organisation("European Commission")
    auth.login("viewer")
    page = client.get("/outreach/awaiting").get_data(as_text=True)
    assert "Awaiting reply" in page and page.count("Record reply") == 0  # viewers cannot record
    assert "Tunne Kelam" in page
    found = client.get("/outreach/parties?q=europ").get_json()
    assert found[0]["id"].startswith("o:") and found[0]["label"] == "European Commission"
    assert client.get("/outreach/parties?q=kelam").get_json()[0]["id"] == f"p:{meps[0].id}"


def test_person_page_shows_outreach_history(client, auth, meps):
    make_outreach("Release", to=meps)
    auth.login("viewer")
    page = client.get(f"/contacts/people/{meps[0].id}").get_data(as_text=True)
    assert "Outreach and replies" in page and "Release" in page and "replied to 0 of 1 asks" in page


def test_follow_ups_can_be_marked_done(client, auth, meps):
    letter = make_outreach("Release", to=meps, follow_up_on=date(2017, 11, 1))
    reply = make_response(letter, meps[0], received_on=date(2017, 11, 2), follow_up_on=date(2017, 11, 15))
    auth.login("editor")
    page = client.get(f"/outreach/{letter.id}").get_data(as_text=True)
    assert "mark done" in page and ">Done<" in page
    assert client.post(f"/outreach/{letter.id}/follow-up-done").status_code == 302
    assert client.post(f"/outreach/responses/{reply.id}/follow-up-done").status_code == 302
    db.session.expire_all()
    assert overdue_follow_ups(as_of=date(2018, 1, 1)).total == 0
    [entry, *_] = history("outreach", letter.id)
    assert entry.action == "follow-up done" and "follow-up of the reply of Tunne Kelam" in entry.changes
