"""The duplicate list of a big database: found by a background job, kept, and shown without stale pairs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crm import create_app
from crm.contacts.models import Person
from crm.duplicates import scan
from crm.extensions import db
from tests.conftest import PASSWORD
from tests.factories import make_person
from tests.settings import app_config


@pytest.fixture(autouse=True)
def no_kept_list(app):
    _file(app).unlink(missing_ok=True)  # the test session shares one instance folder
    yield
    _file(app).unlink(missing_ok=True)


@pytest.fixture
def big(app):
    """Every database counts as big: the list comes from the background job (run at once in tests)."""
    app.config["DUPLICATES_INLINE_LIMIT"] = 0
    return app


def _file(app) -> Path:
    return Path(app.config["INSTANCE_DIR"]) / "duplicates.json"


def _pairs_of_namesakes():
    first = make_person("Dzhakishev", "Mukhtar", country="KZ")
    second = make_person("Djakishev", "Mukhtar", country="KZ")
    third = make_person("Tumenova", "Bakhyt", country="KZ")
    fourth = make_person("Tumenova", "Bakhyt", country="KZ", emails=("bakhyt.tumenova@amansaulik.kz",))
    db.session.commit()
    return first, second, third, fourth


def _stored(app) -> dict:
    return json.loads(_file(app).read_text())


def test_the_first_visit_finds_the_list_in_the_background_and_keeps_it(big, client, auth):
    first, second, third, fourth = _pairs_of_namesakes()
    auth.login("viewer")
    page = client.get("/duplicates/").get_data(as_text=True)
    stored = _stored(big)
    assert stored["status"] == "done" and stored["people"] == 4
    assert {(p["a"], p["b"]) for p in stored["pairs"]} == {(first.id, second.id), (third.id, fourth.id)}
    assert "among 4 people" in page and f"/contacts/people/{second.id}" in page
    assert "Look again" not in page  # viewers read the list; editors ask for a new one

    make_person("Dzhakishev", "Muchtar", country="KZ")  # added later: not in the kept list
    db.session.commit()
    client.get("/duplicates/")
    assert _stored(big)["people"] == 4


def test_people_merged_or_archived_since_drop_out_of_the_kept_list(big, client, auth):
    first, second, third, fourth = _pairs_of_namesakes()
    auth.login("editor")
    client.get("/duplicates/")
    db.session.get(Person, fourth.id).archived = True
    db.session.commit()
    page = client.get("/duplicates/").get_data(as_text=True)
    assert f"/contacts/people/{second.id}" in page and f'/contacts/people/{fourth.id}"' not in page
    assert len(_stored(big)["pairs"]) == 2  # the file keeps what was found; the page leaves out the stale


def test_an_editor_looks_again_with_a_csrf_token(big, staff, database_dir):
    first, second, *_ = _pairs_of_namesakes()
    protected = create_app(app_config(database_dir, DUPLICATES_INLINE_LIMIT=0))
    client = protected.test_client()
    token = _token(client.get("/login"))
    client.post("/login", data={"email": "editor@example.org", "password": PASSWORD, "csrf_token": token})
    page = client.get("/duplicates/")
    assert "Look again" in page.get_data(as_text=True)
    newcomer = make_person("Dzhakishev", "Muchtar", country="KZ")
    db.session.commit()
    assert client.post("/duplicates/scan").status_code == 400
    assert _stored(big)["people"] == 4  # refused without the token
    client.post("/duplicates/scan", data={"csrf_token": _token(page)})
    assert _stored(big)["people"] == 5
    assert any(newcomer.id in (p["a"], p["b"]) for p in _stored(big)["pairs"])


def _token(response) -> str:
    return response.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1].split('"')[0]


def test_viewers_may_not_ask_for_a_scan(big, client, auth):
    auth.login("viewer")
    assert client.post("/duplicates/scan").status_code == 403


def test_a_running_scan_shows_progress_and_a_failed_one_says_why(big, client, auth, app):
    auth.login("editor")
    with app.app_context():
        scan._write(scan.Scan("running", requested_at=scan.utcnow()))
    page = client.get("/duplicates/").get_data(as_text=True)
    assert "Looking for duplicates" in page and 'http-equiv="refresh"' in page and "Look again" not in page
    with app.app_context():
        scan._write(scan.Scan("failed", requested_at=scan.utcnow(), error="OperationalError: disk full"))
    page = client.get("/duplicates/").get_data(as_text=True)
    assert "failed (OperationalError: disk full)" in page and "Look again" in page
    assert "No likely duplicates" not in page


def test_a_scan_stuck_for_half_an_hour_is_asked_again(big, client, auth, app):
    _pairs_of_namesakes()
    auth.login("viewer")
    with app.app_context():
        scan._write(scan.Scan("running", requested_at=scan.utcnow() - scan.STUCK_AFTER * 2))
    client.get("/duplicates/")
    assert _stored(big)["status"] == "done"


def test_small_databases_are_compared_as_the_page_loads(app, client, auth):
    first, second, *_ = _pairs_of_namesakes()
    auth.login("viewer")
    page = client.get("/duplicates/").get_data(as_text=True)
    assert f"/contacts/people/{second.id}" in page and "Found " not in page
    assert not _file(app).exists()
