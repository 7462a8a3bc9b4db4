"""Compose → preview → send through the app, CSRF on, as staff use it; and who may do what."""

from __future__ import annotations

from sqlalchemy import select

from crm.extensions import db
from crm.mailing.models import Mailing, RecipientStatus
from crm.outreach.models import Outreach
from tests.factories import make_campaign, make_outreach, make_person

BODY = "{{ salutation }},\n\nMukhtar Dzhakishev needs your voice ({{ campaign }}).\n"


def _estonians():
    return [
        make_person("Kelam", "Tunne", honorific="Mr", languages=["en"], country="EE", emails=("kelam@ep.example.eu",)),
        make_person("Ansip", "Andrus", honorific="Mr", languages=["en"], country="EE", emails=("ansip@ep.example.eu",)),
        make_person("Paet", "Urmas", honorific="Mr", country="EE", emails=("paet@ep.example.eu",), do_not_contact=True),
    ]


def test_compose_preview_and_send_to_the_people_of_a_list_filter(client, auth, smtp):
    kelam, ansip, paet = _estonians()
    make_person("Other", "Country", country="LV", emails=("lv@example.lv",))
    campaign = make_campaign()
    auth.login("editor")

    people = client.get("/contacts/people?country=EE").get_data(as_text=True)
    assert "/email/compose?people=country%3DEE" in people  # the list's "Email these 3 people" button
    page = client.get("/email/compose?people=country%3DEE")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Urmas Paet</a>: marked “do not contact”" in text
    form = {"people_filter": "country=EE", "campaign_id": str(campaign.id), "subject": "Free Mukhtar", "body": BODY}

    shown = client.post("/email/compose", data={**form, "action": "preview", "preview_person_id": str(ansip.id)})
    text = shown.get_data(as_text=True)
    assert shown.status_code == 200
    assert "Dear Mr Ansip,\n\nMukhtar Dzhakishev needs your voice (Free Mukhtar Dzhakishev)." in text
    assert "Send to 2 people" in text

    sent = client.post("/email/compose", data={**form, "action": "send"})
    assert sent.status_code == 302
    assert sorted(r.rcpt_tos[0] for r in smtp.received) == ["ansip@ep.example.eu", "kelam@ep.example.eu"]
    detail = client.get(sent.location).get_data(as_text=True)
    assert "2 sent" in detail and "Done." in detail
    outreach = db.session.scalars(select(Outreach)).one()
    assert outreach.campaign_id == campaign.id and {p.person_id for p in outreach.participants} == {kelam.id, ansip.id}


def test_email_the_recipients_of_an_outreach_entry(client, auth, smtp):
    kelam, ansip, _ = _estonians()
    campaign = make_campaign()
    letter = make_outreach("Letter about the parole hearing", to=[kelam, ansip], campaign_id=campaign.id)
    auth.login("editor")
    assert f"/email/compose?outreach_id={letter.id}" in client.get(f"/outreach/{letter.id}").get_data(as_text=True)
    page = client.get(f"/email/compose?outreach_id={letter.id}").get_data(as_text=True)
    assert f'<option selected value="{campaign.id}">' in page  # the campaign comes with the entry

    form = {"outreach_id": str(letter.id), "campaign_id": str(campaign.id), "subject": "Follow-up", "body": BODY}
    assert client.post("/email/compose", data={**form, "action": "send"}).status_code == 302
    assert sorted(r.rcpt_tos[0] for r in smtp.received) == ["ansip@ep.example.eu", "kelam@ep.example.eu"]


def test_hand_picked_people_and_the_retry_button(client, auth, smtp):
    kelam, ansip, _ = _estonians()
    smtp.refuse["ansip@ep.example.eu"] = "550 5.7.1 Message rejected as spam"
    auth.login("editor")
    page = client.get(f"/email/compose?person_id={kelam.id}").get_data(as_text=True)
    assert f'<option selected value="{kelam.id}">' in page
    data = {"person_ids": [str(kelam.id), str(ansip.id)], "subject": "Hi", "body": BODY, "action": "send"}
    detail_url = client.post("/email/compose", data=data).location
    detail = client.get(detail_url).get_data(as_text=True)
    assert "550 5.7.1 Message rejected as spam" in detail and "1 failed" in detail

    del smtp.refuse["ansip@ep.example.eu"]
    mailing = db.session.scalars(select(Mailing)).one()
    failed = next(r for r in mailing.recipients if r.status == RecipientStatus.FAILED)
    answer = client.post(f"/email/{mailing.id}/retry", data={"recipient_id": str(failed.id)})
    assert answer.status_code == 302
    assert [r.rcpt_tos for r in smtp.received] == [["kelam@ep.example.eu"], ["ansip@ep.example.eu"]]
    assert "2 sent" in client.get(detail_url).get_data(as_text=True)


def test_a_subject_with_a_line_break_is_refused(client, auth, smtp):
    kelam, _, _ = _estonians()
    auth.login("editor")
    client.get("/email/compose")
    answer = client.post(
        "/email/compose",
        data={"person_ids": [str(kelam.id)], "subject": "Hi\r\nBcc: all@example.org", "body": "x", "action": "send"},
    )
    assert answer.status_code == 422 and "The subject is one line." in answer.get_data(as_text=True)
    assert smtp.received == []


def test_page_output_is_escaped(client, auth, smtp):
    person = make_person("<script>alert(1)</script>", "Eve", emails=("eve@example.org",))
    auth.login("editor")
    client.get("/email/compose")
    data = {"person_ids": [str(person.id)], "subject": "<b>x</b>", "body": "{{ family_name }}", "action": "preview"}
    text = client.post("/email/compose", data=data).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_viewers_cannot_compose_or_retry_and_need_csrf(client, auth, smtp, staff):
    kelam, _, _ = _estonians()
    auth.login("viewer")
    assert client.get("/email/compose").status_code == 403
    assert client.post("/email/compose", data={"person_ids": [str(kelam.id)], "action": "send"}).status_code == 403
    assert client.get("/email/").status_code == 200
    auth.logout()
    auth.login("editor")
    forged = client.post(
        "/email/compose",
        data={"person_ids": [str(kelam.id)], "subject": "x", "body": "y", "action": "send"},
        csrf=False,
    )
    assert forged.status_code == 400 and smtp.received == []
