"""The duplicate list of a big database: found by a background job, kept in the database, and shown
without stale pairs."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from crm import create_app
from crm.contacts.models import Person
from crm.duplicates import scan
from crm.extensions import db
from crm.jobs import JobStatus
from crm.timeutil import utcnow
from tests.conftest import PASSWORD
from tests.factories import make_person
from tests.settings import app_config


@pytest.fixture
def big(app):
    """Every database counts as big: the list comes from the background job (run at once in tests)."""
    app.config["DUPLICATES_INLINE_LIMIT"] = 0
    return app


def _pairs_of_namesakes():
    first = make_person("Dzhakishev", "Mukhtar", country="KZ")
    second = make_person("Djakishev", "Mukhtar", country="KZ")
    third = make_person("Tumenova", "Bakhyt", country="KZ")
    fourth = make_person("Tumenova", "Bakhyt", country="KZ", emails=("bakhyt.tumenova@amansaulik.kz",))
    db.session.commit()
    return first, second, third, fourth


def _stored() -> scan.DuplicateScan:
    """The kept scan as the job left it (from a fresh transaction: the page's job wrote it on its own)."""
    db.session.rollback()
    return scan.latest()


def _keep(status: JobStatus, requested_at, **values) -> None:
    """A scan as a worker left it."""
    db.session.add(scan.DuplicateScan(status=status, requested_at=requested_at, **values))
    db.session.commit()


def test_the_first_visit_finds_the_list_in_the_background_and_keeps_it(big, client, auth):
    first, second, third, fourth = _pairs_of_namesakes()
    auth.login("viewer")
    page = client.get("/duplicates/").get_data(as_text=True)
    stored = _stored()
    assert stored.status == JobStatus.DONE and stored.people == 4 and stored.finished_at >= stored.requested_at
    assert {(pair.a_id, pair.b_id) for pair in stored.pairs} == {(first.id, second.id), (third.id, fourth.id)}
    assert "among 4 people" in page and f"/contacts/people/{second.id}" in page
    assert "Look again" not in page  # viewers read the list; editors ask for a new one

    make_person("Dzhakishev", "Muchtar", country="KZ")  # added later: not in the kept list
    db.session.commit()
    client.get("/duplicates/")
    assert _stored().people == 4
    assert db.session.scalar(select(func.count()).select_from(scan.DuplicateScan)) == 1  # one list, kept
    assert not (Path(big.config["INSTANCE_DIR"]) / "duplicates.json").exists()


def test_people_merged_or_archived_since_drop_out_of_the_kept_list(big, client, auth):
    first, second, third, fourth = _pairs_of_namesakes()
    auth.login("editor")
    client.get("/duplicates/")
    db.session.get(Person, fourth.id).archived = True
    db.session.commit()
    page = client.get("/duplicates/").get_data(as_text=True)
    assert f"/contacts/people/{second.id}" in page and f'/contacts/people/{fourth.id}"' not in page
    assert len(_stored().pairs) == 2  # the table keeps what was found; the page leaves out the stale


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
    assert _stored().people == 4  # refused without the token
    client.post("/duplicates/scan", data={"csrf_token": _token(page)})
    assert _stored().people == 5
    assert any(newcomer.id in (pair.a_id, pair.b_id) for pair in _stored().pairs)


def _token(response) -> str:
    return response.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1].split('"')[0]


def test_viewers_may_not_ask_for_a_scan(big, client, auth):
    auth.login("viewer")
    assert client.post("/duplicates/scan").status_code == 403


def test_a_running_scan_shows_progress_and_a_failed_one_says_why(big, client, auth):
    auth.login("editor")
    _keep(JobStatus.RUNNING, utcnow())
    page = client.get("/duplicates/").get_data(as_text=True)
    assert "Looking for duplicates" in page and 'http-equiv="refresh"' in page and "Look again" not in page
    db.session.delete(_stored())
    _keep(JobStatus.FAILED, utcnow(), finished_at=utcnow(), error="OperationalError: disk full")
    page = client.get("/duplicates/").get_data(as_text=True)
    assert "failed (OperationalError: disk full)" in page and "Look again" in page
    assert "No likely duplicates" not in page


def test_a_scan_stuck_for_half_an_hour_is_asked_again(big, client, auth):
    _pairs_of_namesakes()
    auth.login("viewer")
    _keep(JobStatus.RUNNING, utcnow() - scan.STUCK_AFTER * 2)
    client.get("/duplicates/")
    assert _stored().status == JobStatus.DONE and _stored().people == 4


def test_small_databases_are_compared_as_the_page_loads(app, client, auth):
    first, second, *_ = _pairs_of_namesakes()
    auth.login("viewer")
    page = client.get("/duplicates/").get_data(as_text=True)
    assert f"/contacts/people/{second.id}" in page and "Found " not in page
    assert scan.latest() is None


def test_looking_again_while_a_scan_runs_does_not_ask_twice(big, client, auth):
    _pairs_of_namesakes()
    auth.login("editor")
    _keep(JobStatus.RUNNING, utcnow())
    client.get("/duplicates/")
    client.post("/duplicates/scan", data={})
    assert _stored().status == JobStatus.RUNNING and _stored().people == 0
