"""The retention review: no lawful basis, or untouched for N years; archive or erase in bulk."""

from __future__ import annotations

import io
import json
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from crm.contacts.models import Person
from crm.extensions import db
from crm.outreach.models import Outreach, Response
from crm.privacy.erasure import erase_person, is_erased
from crm.privacy.retention import cutoff, retention_rows
from tests.factories import make_outreach, make_person, make_response
from tests.web import form_with

LONG_AGO = datetime(2015, 6, 1)


def _age(person, at=LONG_AGO):
    db.session.execute(update(Person).where(Person.id == person.id).values(updated_at=at))
    db.session.commit()


@pytest.fixture
def people(app):
    old = make_person("Old", "Olga")
    recent = make_person("Recent", "Rita")
    no_basis = make_person("Basis", "Nobody")
    answered = make_person("Answered", "Anna")
    for person in (old, recent, answered):
        _age(person)
    _age(recent, datetime(2099, 1, 1))  # as if changed just now, whatever the day the test runs
    db.session.execute(update(Person).where(Person.id == no_basis.id).values(lawful_basis=""))
    outreach = make_outreach("An old letter", to=[old, answered], sent_on=date(2015, 1, 1))
    db.session.execute(update(Outreach).values(updated_at=LONG_AGO))
    make_response(outreach, answered, received_on=date.today())  # a reply this year: touched
    db.session.commit()
    return {"old": old, "recent": recent, "no_basis": no_basis, "answered": answered}


def _ticked(form, person_ids):
    """What the form sends with these people's boxes ticked (a box only exists in the data once ticked)."""
    data = form.data()
    data.setlist("person_id", person_ids)
    return data


def _listed(years=3, **options):
    return {row.name: row for row in retention_rows(years, **options)}


def test_people_untouched_for_years_or_without_a_lawful_basis(people):
    listed = _listed()
    assert set(listed) == {"Olga Old", "Nobody Basis"}
    assert listed["Olga Old"].why == "untouched since 01 Jun 2015" and listed["Olga Old"].untouched
    assert listed["Nobody Basis"].no_basis and listed["Nobody Basis"].lawful_basis == ""
    assert listed["Nobody Basis"].why == "no lawful basis recorded"
    # An old reply does not keep someone: only touches within the years do.
    db.session.execute(update(Response).values(received_on=date(2015, 2, 1), created_at=LONG_AGO))
    db.session.commit()
    assert _listed()["Anna Answered"].last_touched == date(2015, 6, 1)
    assert "Anna Answered" not in _listed(years=20)


def test_archived_people_on_request_and_erased_people_never(people):
    people["old"].archived = True
    db.session.commit()
    assert "Olga Old" not in _listed() and "Olga Old" in _listed(include_archived=True)
    erase_person(people["no_basis"].id, "retention review", actor=None)
    db.session.commit()
    assert not any(row.person_id == people["no_basis"].id for row in retention_rows(3, include_archived=True))


def test_cutoff_on_29_february():
    assert cutoff(3, on=date(2024, 2, 29)) == date(2021, 2, 28)


def test_the_years_come_from_the_configuration(app, people, runner):
    app.config["RETENTION_YEARS"] = 50
    result = runner.invoke(args=["crm", "retention", "--json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    assert listed["years"] == 50 and [p["name"] for p in listed["people"]] == ["Nobody Basis"]
    result = runner.invoke(args=["crm", "retention", "--years", "3"])
    assert "Olga Old" in result.stdout and "untouched since 01 Jun 2015" in result.stdout


def test_admins_archive_from_the_review(people, client, auth):
    auth.login("admin")
    page = client.get("/privacy/retention").get_data(as_text=True)
    assert "Olga Old" in page and "Retention review" in client.get("/").get_data(as_text=True)
    form = form_with(page, "years", button="Archive selected")
    answer = client.post("/privacy/retention/archive", data=_ticked(form, [str(people["old"].id)]))
    assert answer.status_code == 302
    db.session.expire_all()
    assert db.session.get(Person, people["old"].id).archived
    assert "Olga Old" not in client.get(answer.location).get_data(as_text=True)


def test_admins_erase_in_bulk_with_one_reason(people, client, auth):
    auth.login("admin")
    page = client.get("/privacy/retention").get_data(as_text=True)
    form = form_with(page, "years", button="Erase selected")
    chosen = [str(people["old"].id), str(people["no_basis"].id)]
    confirm = client.post("/privacy/retention/erase", data=_ticked(form, chosen))
    assert confirm.status_code == 200
    text = confirm.get_data(as_text=True)
    assert "cannot be undone" in text and "Olga Old" in text
    assert not is_erased(people["old"].id)  # asking is not erasing
    second = form_with(text, "reason", "step")
    refused = client.post("/privacy/retention/erase", data=second.data(reason="Retention review 2025"))
    assert refused.status_code == 422 and not is_erased(people["old"].id)  # not ticked
    ticked = second.data(reason="Retention review 2025")
    ticked["understood"] = "y"  # the box under the reason
    assert 'name="understood"' in text
    done = client.post("/privacy/retention/erase", data=ticked)
    assert done.status_code == 302
    assert is_erased(people["old"].id) and is_erased(people["no_basis"].id)


def test_the_review_as_a_spreadsheet(people, client, auth):
    auth.login("admin")
    answer = client.get("/privacy/retention.xlsx")
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    sheet = load_workbook(io.BytesIO(answer.get_data())).active
    assert [c.value for c in sheet[1]] == [
        "Person id",
        "Name",
        "Lawful basis",
        "Last touched",
        "Archived",
        "Why listed",
    ]
    assert {sheet.cell(row, 2).value for row in (2, 3)} == {"Olga Old", "Nobody Basis"}


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_only_admins(people, client, auth, role):
    auth.login(role)
    for url in ("/privacy/retention", "/privacy/retention.xlsx"):
        assert client.get(url).status_code == 403
    for url in ("/privacy/retention/archive", "/privacy/retention/erase"):
        assert client.post(url, data={"person_id": str(people["old"].id)}).status_code == 403
    assert not is_erased(people["old"].id) and not db.session.get(Person, people["old"].id).archived
