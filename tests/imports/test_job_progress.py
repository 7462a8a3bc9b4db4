"""A preview and an import run by a worker thread through the real queue, while pages read their progress.

The import holds one transaction to its end (on SQLite the database's only write lock), so its
progress reaches the page through the queue's own store; reading it must not wait for the import.
The worker is held right after its first progress report, so the test looks at a job that is
surely half-way, whatever the speed of the machine.
"""

from __future__ import annotations

import random
import re
import string
import threading
import time

import pytest
from huey import Huey
from sqlalchemy import func, select

from crm import create_app, jobs
from crm.contacts.models import Person
from crm.extensions import db
from crm.imports.models import ImportPreview, ImportRun, ImportStatus
from crm.imports.pipeline import PROGRESS_EVERY
from tests.browser_client import BrowserLikeClient
from tests.conftest import AuthActions
from tests.imports.test_pipeline import workbook
from tests.imports.test_wizard_views import upload
from tests.settings import app_config

ROWS = 2 * PROGRESS_EVERY + 200  # reports progress twice before its end
WAIT = 120  # seconds before a test gives up on a job that never comes; not a speed limit


class Worker(threading.Thread):
    """What `crm worker` does: take the next job from the queue and run it."""

    def __init__(self, queue: Huey) -> None:
        super().__init__(daemon=True)
        self.queue, self.stopping = queue, threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            task = self.queue.dequeue()
            if task is None:
                self.stopping.wait(0.05)
            else:
                self.queue.execute(task)


class Holds:
    """Holds a job right after its first progress report, until the test lets it go on."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._held: dict[str, tuple[threading.Event, threading.Event]] = {}
        report = jobs.report_progress

        def report_then_wait(key: str, done: int) -> None:
            report(key, done)  # the real write, to the queue's store
            reported, go_on = self._held.get(key, (None, None))
            if reported is not None and not reported.is_set():
                reported.set()
                go_on.wait(timeout=WAIT)

        monkeypatch.setattr(jobs, "report_progress", report_then_wait)

    def hold(self, key: str) -> None:
        self._held[key] = (threading.Event(), threading.Event())

    def wait_for(self, key: str) -> None:
        assert self._held[key][0].wait(timeout=WAIT), f"the job {key} never reported progress"

    def release_all(self) -> None:
        for _, go_on in self._held.values():
            go_on.set()


@pytest.fixture
def deployed(app, staff, database_dir, tmp_path):
    """The app as a deployment runs it: jobs go through the embedded SQLite queue, to a worker."""
    deployed = create_app(
        app_config(database_dir, JOBS_IMMEDIATE=False, JOBS_URL=f"sqlite:///{tmp_path / 'jobs.sqlite3'}")
    )
    deployed.test_client_class = BrowserLikeClient
    yield deployed
    with deployed.app_context():
        db.engine.dispose()


def _until(read, done):
    deadline = time.monotonic() + WAIT
    while not done(answer := read()):
        assert time.monotonic() < deadline, f"still {answer}"
        time.sleep(0.05)
    return answer


def _name(names: random.Random) -> str:
    return "".join(names.choice(string.ascii_lowercase) for _ in range(12)).title()


def _people() -> int:
    db.session.rollback()  # a fresh snapshot: the worker commits on its own connection
    return db.session.scalar(select(func.count()).select_from(Person))


def test_pages_follow_a_preview_and_an_import_running_in_a_worker(deployed, tmp_path, monkeypatch):
    holds = Holds(monkeypatch)
    client = deployed.test_client()
    AuthActions(client).login("editor")
    names = random.Random(13)  # names unlike each other, so every row is a new person
    rows = [[_name(names), _name(names), f"person{number}@example.org"] for number in range(ROWS)]
    upload(client, workbook(tmp_path, rows, header=["Last name", "First name", "E-mail"]))
    run_id = db.session.scalar(select(ImportRun.id))
    columns = {f"columns-{index}": key for index, key in enumerate(["family_name", "given_name", "email"])}
    assert client.post(f"/imports/{run_id}/mapping", data=columns | {"on_duplicate": "fill"}).status_code == 302

    worker = Worker(jobs.huey(deployed))
    holds.hold(f"import-preview:{run_id}")
    holds.hold(f"import:{run_id}")
    worker.start()
    try:
        assert "Preparing the preview" in client.get(f"/imports/{run_id}/preview").get_data(as_text=True)
        holds.wait_for(f"import-preview:{run_id}")
        progress = client.get(f"/imports/{run_id}/preview/progress").get_json()
        assert progress == {"ready": False, "rows_done": PROGRESS_EVERY}
        holds.release_all()
        _until(lambda: client.get(f"/imports/{run_id}/preview/progress").get_json(), lambda answer: answer["ready"])
        preview = client.get(f"/imports/{run_id}/preview").get_data(as_text=True)
        assert f'data-count="created">{ROWS}<' in preview, re.sub(r"\s+", " ", re.sub("<[^>]+>", " ", preview))[:3000]

        holds.hold(f"import:{run_id}")
        assert client.post(f"/imports/{run_id}/preview", data={}).status_code == 302
        holds.wait_for(f"import:{run_id}")
        progress = client.get(f"/imports/{run_id}/progress").get_json()
        percent = 100 * PROGRESS_EVERY // ROWS
        assert progress == {"status": "running", "rows_done": PROGRESS_EVERY, "rows_total": ROWS, "percent": percent}
        assert _people() == 0  # nothing of the import is committed: the count came from the queue's store
        holds.release_all()
        progress = _until(
            lambda: client.get(f"/imports/{run_id}/progress").get_json(),
            lambda answer: answer["status"] != ImportStatus.RUNNING,
        )
    finally:
        holds.release_all()
        worker.stopping.set()
        worker.join(timeout=WAIT)
    assert progress == {"status": "done", "rows_done": ROWS, "rows_total": ROWS, "percent": 100}
    assert _people() == ROWS
    assert db.session.get(ImportPreview, run_id) is None  # served its purpose once the import was confirmed
    with deployed.app_context():
        assert jobs.progress(f"import:{run_id}") == jobs.progress(f"import-preview:{run_id}") == 0  # cleared
