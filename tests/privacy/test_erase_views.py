"""Erasing from the person page and with `crm erase`: confirmed, admin only, audited."""

from __future__ import annotations

import json

import pytest

from crm.audit.service import history
from crm.contacts.models import Person
from crm.extensions import db
from crm.privacy.erasure import ERASED_NAME, is_erased
from tests.web import form_with


def _erase_page(client, person_id):
    answer = client.get(f"/privacy/people/{person_id}/erase")
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def test_the_confirmation_says_what_goes_and_what_stays(subject, client, auth):
    auth.login("admin")
    page = _erase_page(client, subject.person.id)
    assert "cannot be undone" in page and "campaign totals stay true" in page
    assert "1 contact point," in page and "on 1 outreach entry" in page


def test_admins_erase_after_giving_a_reason_and_ticking(subject, client, auth, staff):
    auth.login("admin")
    url = f"/privacy/people/{subject.person.id}/erase"
    form = form_with(_erase_page(client, subject.person.id), "reason")
    assert client.post(url, data=form.data(reason="Her request of 3 March")).status_code == 422  # not ticked
    naming = form.data(reason="Mukhtar asked")
    naming["understood"] = "y"
    answer = client.post(url, data=naming)
    assert answer.status_code == 422 and "leave out the person" in answer.get_data(as_text=True)
    assert not is_erased(subject.person.id)
    ticked = form.data(reason="Request of 3 March")
    ticked["understood"] = "y"
    answer = client.post(url, data=ticked)
    assert answer.status_code == 302 and answer.location.endswith(f"/contacts/people/{subject.person.id}")
    page = client.get(answer.location).get_data(as_text=True)
    assert ERASED_NAME in page and "Mukhtar" not in page and "mukhtar@example.org" not in page
    [entry] = [e for e in history("person", subject.person.id) if e.action == "erase"]
    assert entry.actor_id == staff["admin"].id
    # A second visit says so instead of offering to erase again.
    again = client.get(url)
    assert again.status_code == 302


def test_a_post_without_the_csrf_token_erases_nothing(subject, client, auth):
    auth.login("admin")
    answer = client.post(
        f"/privacy/people/{subject.person.id}/erase", data={"reason": "x", "understood": "y"}, csrf=False
    )
    assert answer.status_code == 400 and not is_erased(subject.person.id)


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_editors_and_viewers_are_refused(subject, client, auth, role):
    auth.login(role)
    url = f"/privacy/people/{subject.person.id}/erase"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"reason": "x", "understood": "y"}).status_code == 403
    assert not is_erased(subject.person.id)


def test_the_command_asks_unless_told_yes(subject, runner):
    person_id = str(subject.person.id)
    declined = runner.invoke(args=["crm", "erase", person_id, "--reason", "Request"], input="n\n")
    assert declined.exit_code == 1 and not is_erased(subject.person.id)
    assert "cannot be undone" in declined.output
    accepted = runner.invoke(args=["crm", "erase", person_id, "--reason", "Request"], input="y\n")
    assert accepted.exit_code == 0, accepted.output
    db.session.expire_all()
    assert db.session.get(Person, subject.person.id).display_name == ERASED_NAME


def test_the_command_with_yes_and_json(subject, runner):
    result = runner.invoke(args=["crm", "erase", str(subject.person.id), "--reason", "Request", "--yes", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["erased"] and report["removed"]["attachments deleted"] == 1


def test_the_command_refuses_the_unknown_the_erased_and_a_naming_reason(subject, runner):
    assert runner.invoke(args=["crm", "erase", "999", "--reason", "x", "--yes"]).exit_code == 1
    naming = runner.invoke(args=["crm", "erase", str(subject.person.id), "--reason", "Dzhakishev", "--yes"])
    assert naming.exit_code == 1 and not is_erased(subject.person.id)
    assert runner.invoke(args=["crm", "erase", str(subject.person.id), "--reason", "x", "--yes"]).exit_code == 0
    again = runner.invoke(args=["crm", "erase", str(subject.person.id), "--reason", "x", "--yes"])
    assert again.exit_code == 1 and "erased already" in again.output
