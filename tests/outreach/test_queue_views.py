"""The queue page through HTTP: filters as GET arguments, the row forms (CSRF, roles), snooze, done, undo."""

from datetime import timedelta

import pytest

from crm.extensions import db
from crm.outreach.models import Outreach, Participant
from crm.timeutil import today
from tests.factories import make_outreach, make_person
from tests.web import form_with, forms


@pytest.fixture
def queue(app, staff):
    kelam, paet = make_person("Kelam", "Tunne"), make_person("Paet", "Urmas")
    long_ago = today() - timedelta(days=60)
    mine = make_outreach("Mine to chase", to=[kelam], sent_on=long_ago, owner_id=staff["editor"].id)
    theirs = make_outreach("The admin's", to=[paet], sent_on=long_ago, owner_id=staff["admin"].id)
    call = make_outreach("Call back", kind="call", sent_on=long_ago, owner_id=staff["editor"].id, follow_up_on=today())
    return {"mine": mine, "theirs": theirs, "call": call}


def listed(page: str) -> str:
    """The queue's rows, without the messages above them."""
    return page.split('class="list-group my-queue"')[1]


def test_mine_by_default_everyone_on_request(client, auth, queue):
    auth.login("editor")
    page = client.get("/outreach/queue").get_data(as_text=True)
    assert "Mine to chase" in page and "Call back" in page and "The admin&#39;s" not in page
    everyone = client.get("/outreach/queue?owner=all&kind=reply&order=newest").get_data(as_text=True)
    assert "Mine to chase" in everyone and "The admin&#39;s" in everyone and "Call back" not in everyone
    # Junk in the arguments is the default, not an error.
    assert client.get("/outreach/queue?owner=x&window=y&campaign_id=99999999999999").status_code == 200


def test_snooze_done_and_undo_from_the_row(client, auth, queue):
    auth.login("editor")
    page = client.get("/outreach/queue?window=week").get_data(as_text=True)
    participant = queue["mine"].participants[0]
    snooze_forms = [f for f in forms(page) if f.action.endswith(f"/queue/participant/{participant.id}/snooze")]
    assert len(snooze_forms) == 1
    until = today() + timedelta(days=7)
    response = client.post(snooze_forms[0].action, data=snooze_forms[0].data(until=until.isoformat()))
    assert response.status_code == 302 and response.location.endswith("/outreach/queue?window=week")
    db.session.expire_all()
    assert db.session.get(Participant, participant.id).snoozed_until == until
    page = client.get("/outreach/queue?window=week").get_data(as_text=True)
    assert "Mine to chase" not in listed(page)
    snoozed = client.get("/outreach/queue?snoozed=1").get_data(as_text=True)
    assert "Mine to chase" in snoozed and "snoozed until" in snoozed

    done = form_with(page, "back", button="Done")
    response = client.post(done.action, data=done.data())
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Outreach, queue["call"].id).follow_up_on is None
    page = client.get(response.location).get_data(as_text=True)
    assert "Call back" not in listed(page)
    undo = form_with(page, "follow_up_on", button="Undo")
    client.post(undo.action, data=undo.data())
    db.session.expire_all()
    assert db.session.get(Outreach, queue["call"].id).follow_up_on == today()


def test_a_snooze_needs_a_day_ahead(client, auth, queue):
    auth.login("editor")
    page = client.get("/outreach/queue").get_data(as_text=True)
    participant = queue["mine"].participants[0]
    [form] = [f for f in forms(page) if f.action.endswith(f"/queue/participant/{participant.id}/snooze")]
    response = client.post(form.action, data=form.data(until=today().isoformat()), follow_redirects=True)
    assert "Pick a day after today." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Participant, participant.id).snoozed_until is None


def test_viewers_see_the_queue_without_buttons_and_cannot_post(client, auth, queue):
    auth.login("viewer")
    page = client.get("/outreach/queue?owner=all").get_data(as_text=True)
    rows = listed(page)
    assert "Mine to chase" in rows and "Snooze" not in rows and "Record reply" not in rows and "<form" not in rows
    participant = queue["mine"].participants[0]
    assert client.post(f"/outreach/queue/participant/{participant.id}/snooze").status_code == 403


def test_row_forms_need_their_csrf_token(client, auth, queue):
    auth.login("editor")
    participant = queue["mine"].participants[0]
    until = (today() + timedelta(days=3)).isoformat()
    response = client.post(f"/outreach/queue/participant/{participant.id}/snooze", data={"until": until}, csrf=False)
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Participant, participant.id).snoozed_until is None
    # An awaited reply is done when it is recorded: no "done" for it from the queue.
    assert client.post(f"/outreach/queue/participant/{participant.id}/done").status_code == 404
    assert client.post("/outreach/queue/nothing/1/snooze").status_code == 404
