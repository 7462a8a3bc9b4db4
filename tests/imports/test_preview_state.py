"""A preview's state lives in the database: kept per run and per choices, started again when it died,
gone with its upload; under instance/ an import leaves only the uploaded file."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from crm import create_app
from crm.extensions import db
from crm.imports import previews
from crm.imports.models import ImportPreview, ImportRun, ImportStatus
from crm.imports.runs import stored_path
from crm.jobs import JobStatus
from crm.timeutil import utcnow
from tests.browser_client import BrowserLikeClient
from tests.conftest import AuthActions
from tests.imports.test_pipeline import workbook
from tests.imports.test_wizard_views import ROWS, upload
from tests.settings import app_config

COLUMNS = {
    f"columns-{index}": key
    for index, key in enumerate(["family_name", "given_name", "email", "country", "", "", ""])  # "": not imported
}


def _uploaded(client, tmp_path) -> int:
    upload(client, workbook(tmp_path, ROWS))
    run_id = db.session.scalar(select(ImportRun.id))
    client.post(f"/imports/{run_id}/mapping", data=COLUMNS | {"on_duplicate": "fill"})
    return run_id


def _preview(run_id: int) -> ImportPreview | None:
    db.session.rollback()  # the page's job wrote it in a session of its own
    return db.session.get(ImportPreview, run_id)


@pytest.fixture
def own_instance(staff, database_dir, tmp_path):
    """The app with an instance folder of its own, empty but for what this test writes."""
    app = create_app(app_config(database_dir, INSTANCE_DIR=str(tmp_path / "instance")))
    app.test_client_class = BrowserLikeClient
    yield app
    with app.app_context():
        db.engine.dispose()


def test_an_import_writes_nothing_under_instance_but_the_upload(own_instance, tmp_path):
    instance = tmp_path / "instance"
    client = own_instance.test_client()
    AuthActions(client).login("editor")
    run_id = _uploaded(client, tmp_path)

    assert 'data-count="created">2<' in client.get(f"/imports/{run_id}/preview").get_data(as_text=True)
    preview = _preview(run_id)
    assert preview.status == JobStatus.DONE and preview.summary["counts"]["created"] == 2
    assert preview.finished_at >= preview.started_at

    client.post(f"/imports/{run_id}/preview", data={})
    assert db.session.get(ImportRun, run_id).status == ImportStatus.DONE
    assert _preview(run_id) is None  # served once the import was confirmed
    written = sorted(path.relative_to(instance).as_posix() for path in instance.rglob("*") if path.is_file())
    assert written == [f"imports/{run_id}/upload.xlsx"]


def test_a_preview_marked_running_too_long_has_died_and_is_started_again(client, auth, tmp_path, monkeypatch):
    queued = []
    with monkeypatch.context() as patched:  # no worker: the preview stays marked running
        patched.setattr(previews.jobs, "enqueue", lambda name, run_id: queued.append(run_id))
        auth.login("editor")
        run_id = _uploaded(client, tmp_path)
        assert "Preparing the preview" in client.get(f"/imports/{run_id}/preview").get_data(as_text=True)
    assert queued == [run_id] and _preview(run_id).status == JobStatus.RUNNING

    db.session.execute(
        update(ImportPreview)
        .values(started_at=utcnow() - previews.STALE_AFTER * 2)
        .where(ImportPreview.run_id == run_id)
    )
    db.session.commit()
    page = client.get(f"/imports/{run_id}/preview").get_data(as_text=True)
    assert 'data-count="created">2<' in page  # started again, and ready at once with inline jobs
    assert _preview(run_id).status == JobStatus.DONE


def test_new_choices_make_a_new_preview_in_the_same_row(client, auth, tmp_path):
    auth.login("editor")
    run_id = _uploaded(client, tmp_path)
    client.get(f"/imports/{run_id}/preview")
    first = _preview(run_id).key
    response = client.post(f"/imports/{run_id}/mapping", data=COLUMNS | {"on_duplicate": "skip"})
    assert response.status_code == 302
    db.session.rollback()
    assert previews.summary(db.session.get(ImportRun, run_id)) is None  # made for other choices
    client.get(f"/imports/{run_id}/preview")
    assert _preview(run_id).key != first and _preview(run_id).status == JobStatus.DONE
    assert db.session.scalar(select(func.count()).select_from(ImportPreview)) == 1


def test_a_failed_preview_says_why_on_the_mapping_page(client, auth, tmp_path):
    auth.login("editor")
    run_id = _uploaded(client, tmp_path)
    stored_path(db.session.get(ImportRun, run_id)).write_bytes(b"not a spreadsheet")  # spoilt since the upload
    response = client.get(f"/imports/{run_id}/preview")
    assert response.status_code == 302 and response.headers["Location"].endswith("/mapping")
    preview = _preview(run_id)
    assert preview.status == JobStatus.FAILED and preview.error and preview.summary is None


def test_discarding_an_upload_drops_its_preview(client, auth, tmp_path):
    auth.login("editor")
    run_id = _uploaded(client, tmp_path)
    client.get(f"/imports/{run_id}/preview")
    assert _preview(run_id) is not None
    client.post(f"/imports/{run_id}/discard", data={})
    assert _preview(run_id) is None and db.session.get(ImportRun, run_id) is None
