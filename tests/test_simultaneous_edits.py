"""Two people saving one record at the same moment: the second gets the conflict page, never an error.

The version check before saving catches the common case; these tests make both saves pass it, as
when two requests arrive together, so that the database's own check decides.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import create_engine, text

from crm import create_app
from crm.contacts import people
from crm.contacts.data import PersonData
from crm.errors import EditConflict
from crm.extensions import db
from tests.factories import make_campaign, make_organisation, make_outreach, make_person
from tests.settings import app_config
from tests.web import form_with


def _saved_elsewhere(app, table: str, record_id: int) -> None:
    """Another worker's save, committed on its own connection after this one read the record."""
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with engine.begin() as connection:
        connection.execute(text(f"UPDATE {table} SET version = version + 1 WHERE id = :id"), {"id": record_id})
    engine.dispose()


CASES = {
    "person": (lambda: make_person("Kelam", "Tunne"), "/contacts/people/{}/edit", "family_name", "Kelam-Ilves"),
    "organisation": (lambda: make_organisation("Freedom House"), "/contacts/organisations/{}/edit", "name", "FH"),
    "campaign": (lambda: make_campaign(), "/campaigns/{}/edit", "name", "Free Mukhtar Dzhakishev now"),
    "outreach": (lambda: make_outreach("Letter to the MEPs"), "/outreach/{}/edit", "subject", "Letter to 17 MEPs"),
}


@pytest.mark.parametrize("table", CASES)
def test_a_save_that_loses_the_race_shows_the_conflict_page_with_the_edit_kept(app, client, auth, table):
    make, url, field, typed = CASES[table]
    record = make()
    db.session.commit()
    auth.login("editor")
    page = client.get(url.format(record.id)).get_data(as_text=True)
    form = form_with(page, field, "version")
    db.session.get(type(record), record.id)  # this request's session still holds the version it read
    _saved_elsewhere(app, table, record.id)
    response = client.post(url.format(record.id), data=form.data(**{field: typed}))
    assert response.status_code == 409, response.get_data(as_text=True)[:2000]
    assert typed in response.get_data(as_text=True), "the edit is kept on the conflict page"


def test_two_editors_saving_one_person_at_once_never_raise_more_than_a_conflict(database_dir, app):
    person = make_person("Delvaux-Stehres", "Astrid")
    db.session.commit()
    person_id, version = person.id, person.version
    workers = [create_app(app_config(database_dir)) for _ in range(2)]
    ready = threading.Barrier(2)
    outcomes: list[str] = []

    def save(worker, name: str) -> None:
        with worker.app_context():
            mine = people.get_person(person_id)
            ready.wait()  # both have read the same version; both pass the check before saving
            try:
                people.update_person(mine, PersonData(family_name=name), actor=None, expected_version=version)
                db.session.commit()
                outcomes.append("saved")
            except EditConflict:
                db.session.rollback()
                outcomes.append("conflict")

    threads = [threading.Thread(target=save, args=(w, n)) for w, n in zip(workers, ("One", "Two"), strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == ["conflict", "saved"]
