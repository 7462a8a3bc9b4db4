"""An import whose worker died: found by its lapsed lease, marked failed, what it wrote removed, tried again.

The last test does it for real: `crm worker` in a subprocess, against the test database and an SQLite
queue, killed with SIGKILL half-way through an import, after it committed its first chunk; a new
worker, once started, marks the run failed and removes those people again; "Try again" on the run's
page imports the file.
"""

from __future__ import annotations

import os
import random
import signal
import string
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from crm import create_app, jobs
from crm.contacts.models import Person
from crm.errors import Conflict
from crm.extensions import db
from crm.imports import runs
from crm.imports.models import ImportRun, ImportStatus
from crm.imports.pipeline import PROGRESS_EVERY
from tests.browser_client import BrowserLikeClient
from tests.conftest import AuthActions
from tests.imports.test_pipeline import workbook
from tests.imports.test_wizard_views import ROWS, people, upload
from tests.settings import app_config, database_url

ROOT = Path(__file__).resolve().parents[2]
COLUMNS = {
    f"columns-{index}": key
    for index, key in enumerate(
        ["family_name", "given_name", "email", "country", "political_group", "organisation", "tags"]
    )
}
WAIT = 120  # seconds before a test gives up on a worker that never comes; not a speed limit


def _confirmed_run(client, tmp_path, rows=ROWS) -> int:
    """An upload, mapped, not yet imported."""
    upload(client, workbook(tmp_path, rows))
    run_id = db.session.scalar(select(ImportRun.id).order_by(ImportRun.id.desc()))
    choices = COLUMNS | {"on_duplicate": "fill", "preset": "", "category": ""}
    assert client.post(f"/imports/{run_id}/mapping", data=choices).status_code == 302
    return run_id


def _mark_running(run_id: int) -> None:
    """As a worker leaves a run when it dies after claiming it."""
    db.session.execute(update(ImportRun).where(ImportRun.id == run_id).values(status=ImportStatus.RUNNING))
    db.session.commit()


def test_a_running_import_without_a_live_lease_is_failed_and_one_with_is_left_alone(client, auth, tmp_path):
    auth.login("editor")
    dead, alive = _confirmed_run(client, tmp_path), _confirmed_run(client, tmp_path)
    _mark_running(dead)
    _mark_running(alive)
    lease = jobs.Lease(f"import:{alive}")
    try:
        assert runs.fail_abandoned() == [dead]
    finally:
        lease.end()
    db.session.expire_all()
    assert db.session.get(ImportRun, alive).status == ImportStatus.RUNNING
    run = db.session.get(ImportRun, dead)
    assert run.status == ImportStatus.FAILED and run.finished_at is not None
    assert run.message == f"{runs.ABANDONED} Nothing was written."
    assert not jobs.lease_alive(f"import:{alive}")  # ended: its job is over


def test_a_failed_import_is_tried_again_from_its_page_by_an_editor(app, client, auth, tmp_path):
    auth.login("editor")
    run_id = _confirmed_run(client, tmp_path)
    _mark_running(run_id)
    runs.fail_abandoned()
    page = client.get(f"/imports/{run_id}").get_data(as_text=True)
    assert "Nothing was written." in page and "Try again" in page

    assert client.post(f"/imports/{run_id}/retry", csrf=False).status_code == 400  # a forged request
    viewer = app.test_client()
    AuthActions(viewer).login("viewer")
    assert viewer.post(f"/imports/{run_id}/retry").status_code == 403
    assert people() == 0

    response = client.post(f"/imports/{run_id}/retry")  # jobs run at once here: imported on commit
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/imports/{run_id}")
    db.session.expire_all()
    run = db.session.get(ImportRun, run_id)
    assert (run.status, run.created, run.rejected, run.message) == (ImportStatus.DONE, 2, 1, "")
    assert people() == 2
    assert "Try again" not in client.get(f"/imports/{run_id}").get_data(as_text=True)


def test_only_a_failed_import_with_its_file_can_be_tried_again(client, auth, tmp_path):
    auth.login("editor")
    run_id = _confirmed_run(client, tmp_path)
    client.post(f"/imports/{run_id}/preview", data={})
    run = db.session.get(ImportRun, run_id)
    assert run.status == ImportStatus.DONE and not runs.can_retry(run)
    with pytest.raises(Conflict, match="only a failed import"):
        runs.retry(run)
    run.status = ImportStatus.FAILED
    runs.stored_path(run).unlink()
    with pytest.raises(Conflict, match="no longer kept"):
        runs.retry(run)
    db.session.rollback()


# -- a real worker, killed ----------------------------------------------------------------------------


def _names(count: int) -> list[list[str]]:
    names = random.Random(14)  # names unlike each other, so every row is a new person

    def name() -> str:
        return "".join(names.choice(string.ascii_lowercase) for _ in range(12)).title()

    return [[name(), name(), f"person{number}@example.org"] for number in range(count)]


@pytest.fixture
def deployed(app, staff, database_dir, tmp_path):
    """The app as a deployment runs it: jobs go through an SQLite queue to `crm worker` processes."""
    queue = f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
    deployed = create_app(app_config(database_dir, JOBS_IMMEDIATE=False, JOBS_URL=queue))
    deployed.test_client_class = BrowserLikeClient
    env = {key: value for key, value in os.environ.items() if not key.startswith("CRM_") and key != "FLASK_APP"}
    env |= {
        "CRM_DATABASE_URL": database_url(database_dir),
        "CRM_INSTANCE_DIR": deployed.config["INSTANCE_DIR"],
        "CRM_JOBS_URL": queue,
        "CRM_SECRET_KEY": "dead-worker-test",
        "CRM_JOBS_LEASE_SECONDS": "2",  # so the test need not wait long for a dead worker's lease to lapse
        "CRM_IMPORT_CHUNK_ROWS": "1000",  # an import commits its first chunk long before its end
    }
    deployed.worker_env, deployed.workers = env, []
    yield deployed
    for worker in deployed.workers:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
    with deployed.app_context():
        db.engine.dispose()


def _start_worker(deployed, tmp_path) -> subprocess.Popen:
    log = open(tmp_path / f"worker{len(deployed.workers)}.log", "wb")  # noqa: SIM115  (the process keeps it)
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "crm", "worker", "--workers", "1"],
        cwd=ROOT,
        env=deployed.worker_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    deployed.workers.append(worker)
    return worker


def _logs(tmp_path) -> str:
    return "\n".join(path.read_text()[-2000:] for path in sorted(tmp_path.glob("worker*.log")))


def _until(read, done, tmp_path):
    deadline = time.monotonic() + WAIT
    while not done(answer := read()):
        assert time.monotonic() < deadline, f"still {answer}\n{_logs(tmp_path)}"
        time.sleep(0.02)
    return answer


def _run(run_id: int) -> ImportRun:
    db.session.rollback()  # a fresh snapshot: the workers commit on their own connections
    return db.session.get(ImportRun, run_id)


def _people() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Person))


def test_a_worker_killed_mid_import_leaves_a_failed_run_that_a_new_worker_reports_and_retry_imports(deployed, tmp_path):
    count = 12 * PROGRESS_EVERY  # still far from the end at its first progress report
    client = deployed.test_client()
    AuthActions(client).login("editor")
    upload(client, workbook(tmp_path, _names(count), header=["Last name", "First name", "E-mail"]))
    run_id = db.session.scalar(select(ImportRun.id))
    columns = {f"columns-{index}": key for index, key in enumerate(["family_name", "given_name", "email"])}
    assert client.post(f"/imports/{run_id}/mapping", data=columns | {"on_duplicate": "fill"}).status_code == 302
    assert client.post(f"/imports/{run_id}/preview", data={}).status_code == 302  # confirmed: queued

    first = _start_worker(deployed, tmp_path)
    written = _until(_people, lambda people: people >= 1000, tmp_path)  # its first chunk, committed
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=WAIT)
    assert _run(run_id).status == ImportStatus.RUNNING, "the import ended before the worker was killed"
    assert written <= _people() < count  # committed chunks stay; the one it was writing died with it

    with deployed.app_context():
        _until(lambda: jobs.lease_alive(f"import:{run_id}"), lambda alive: not alive, tmp_path)
    _start_worker(deployed, tmp_path)
    run = _until(lambda: _run(run_id), lambda run: run.status != ImportStatus.RUNNING, tmp_path)
    assert run.status == ImportStatus.FAILED
    assert run.message.startswith(f"{runs.ABANDONED} What it had written was removed again: ")
    assert _people() == 0
    page = client.get(f"/imports/{run_id}").get_data(as_text=True)
    assert "was removed again" in page and "Try again" in page

    assert client.post(f"/imports/{run_id}/retry").status_code == 302
    run = _until(lambda: _run(run_id), lambda run: run.finished, tmp_path)
    assert (run.status, run.created, run.message) == (ImportStatus.DONE, count, ""), _logs(tmp_path)
    assert _people() == count
