"""Stop waiting through HTTP: the buttons on my queue, the awaiting queue and the entry's page, the Undo
offered once after, the history, roles and CSRF."""

from datetime import timedelta

import pytest

from crm.extensions import db
from crm.outreach.models import Outreach, Participant
from crm.timeutil import today
from tests.factories import make_campaign, make_outreach, make_person
from tests.web import form_with, forms


@pytest.fixture
def letter(app, staff):
    campaign = make_campaign("Free Dzhakishev")
    kelam, paet = make_person("Kelam", "Tunne"), make_person("Paet", "Urmas")
    outreach = make_outreach(
        "Appeal to chase",
        to=[kelam, paet],
        sent_on=today() - timedelta(days=60),
        owner_id=staff["editor"].id,
        campaign_id=campaign.id,
    )
    return {"outreach": outreach, "kelam": outreach.participants[0], "paet": outreach.participants[1]}


def stop_form(page: str, participant: Participant):
    [form] = [f for f in forms(page) if f.action.endswith(f"/recipients/{participant.id}/stop-waiting")]
    return form


def state(participant: Participant) -> str:
    db.session.expire_all()
    return db.session.get(Participant, participant.id).reply_state


def test_from_my_queue_with_undo_offered_once(client, auth, letter):
    auth.login("editor")
    page = client.get("/outreach/queue?kind=reply").get_data(as_text=True)
    response = client.post(stop_form(page, letter["kelam"]).action, data=stop_form(page, letter["kelam"]).data())
    assert response.status_code == 302 and response.location.endswith("/outreach/queue?kind=reply")
    assert state(letter["kelam"]) == "closed" and state(letter["paet"]) == "awaiting"
    page = client.get(response.location).get_data(as_text=True)
    assert "Stopped waiting for a reply from Tunne Kelam" in page
    rows = page.split('class="list-group my-queue"')[1]
    assert "Tunne Kelam" not in rows and "Urmas Paet" in rows
    undo = form_with(page, "page", button="Undo")
    assert client.get("/outreach/queue").get_data(as_text=True).count("wait-again") == 0  # offered once
    response = client.post(undo.action, data=undo.data())
    assert response.location.endswith("/outreach/queue?kind=reply")
    assert state(letter["kelam"]) == "awaiting"
    assert db.session.get(Participant, letter["kelam"].id).reply_due_on == letter["outreach"].sent_on + timedelta(21)


def test_from_the_entry_page_and_its_history(client, auth, letter):
    auth.login("editor")
    url = f"/outreach/{letter['outreach'].id}"
    page = client.get(url).get_data(as_text=True)
    assert len([f for f in forms(page) if "/stop-waiting" in f.action]) == 2  # one per awaited recipient
    response = client.post(stop_form(page, letter["paet"]).action, data=stop_form(page, letter["paet"]).data())
    assert response.location.endswith(url)
    page = client.get(url).get_data(as_text=True)
    assert "stopped waiting on" in page and "Stopped waiting for a reply" in page
    history = page.split('id="history"')[1]
    assert "Stopped waiting for a reply" in history and "Urmas Paet" in history
    assert len([f for f in forms(page) if "/stop-waiting" in f.action]) == 1
    undo = form_with(page, "page", button="Undo")
    client.post(undo.action, data=undo.data())
    page = client.get(url).get_data(as_text=True)
    assert "Waiting for a reply again" in page.split('id="history"')[1]
    assert db.session.get(Outreach, letter["outreach"].id).status == "awaiting"


def test_from_the_awaiting_queue_back_to_its_campaign(client, auth, letter):
    auth.login("editor")
    url = f"/outreach/awaiting?campaign_id={letter['outreach'].campaign_id}"
    page = client.get(url).get_data(as_text=True)
    response = client.post(stop_form(page, letter["kelam"]).action, data=stop_form(page, letter["kelam"]).data())
    assert response.location.endswith(url)
    page = client.get(url).get_data(as_text=True)
    assert "Stopped waiting for a reply from Tunne Kelam" in page
    table = page.split('class="table table-hover')[1]
    assert "Tunne Kelam" not in table and "Urmas Paet" in table


def test_twice_is_refused_with_a_sentence(client, auth, letter):
    auth.login("editor")
    page = client.get(f"/outreach/{letter['outreach'].id}").get_data(as_text=True)
    form = stop_form(page, letter["kelam"])
    client.post(form.action, data=form.data())
    again = client.post(form.action, data=form.data(), follow_redirects=True).get_data(as_text=True)
    assert "Nobody is waiting for a reply from Tunne Kelam." in again


def test_viewers_see_no_button_and_cannot_post(client, auth, letter):
    auth.login("viewer")
    for url in ("/outreach/queue?owner=all", "/outreach/awaiting", f"/outreach/{letter['outreach'].id}"):
        assert "Stop waiting" not in client.get(url).get_data(as_text=True)
    participant = letter["kelam"]
    assert client.post(f"/outreach/recipients/{participant.id}/stop-waiting").status_code == 403
    assert client.post(f"/outreach/recipients/{participant.id}/wait-again").status_code == 403
    assert state(participant) == "awaiting"


def test_the_buttons_need_their_csrf_token(client, auth, letter):
    auth.login("editor")
    participant = letter["kelam"]
    assert client.post(f"/outreach/recipients/{participant.id}/stop-waiting", csrf=False).status_code == 400
    assert state(participant) == "awaiting"
    assert client.post("/outreach/recipients/999999/stop-waiting").status_code == 404
