"""An import commits in chunks: editors save while it runs, and one that stops leaves nothing behind.

The import runs in a thread of its own (its own session and connection, as the worker has) and is
held at a chunk boundary through `on_commit`; the test meanwhile does what an editor does, through
the real app or the contact services, on its own connection.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from crm import create_app
from crm.contacts import people
from crm.contacts.models import Person
from crm.extensions import db
from crm.imports import chunks, runs
from crm.imports.models import ImportRun, ImportStatus
from crm.imports.person_values import person_data_of
from crm.imports.pipeline import ImportOptions, run_import
from crm.imports.undo import UndoRefused, undo_import
from tests.factories import make_person
from tests.imports.test_pipeline import workbook
from tests.settings import app_config
from tests.web import form_with

HEADER = ["Last name", "First name", "E-mail", "Notes"]
WAIT = 60  # seconds before a test gives up on the other thread; not a speed limit


def _rows(count: int, start: int = 0) -> list[list[str]]:
    return [[f"Family{n:04d}", f"Given{n:04d}", f"person{n}@example.org", ""] for n in range(start, start + count)]


class HeldImport:
    """`run_import` in a thread, stopping after each commit until the test lets it go on."""

    def __init__(self, app, path, *, fail_at: int | None = None, options: ImportOptions | None = None) -> None:
        self.committed = threading.Event()
        self.go_on = threading.Event()
        self.commits: list[int] = []
        self.result = self.error = None
        self.run_id: int | None = None
        self._fail_at = fail_at

        def on_commit(done: int) -> None:
            self.commits.append(done)
            if self._fail_at is not None and len(self.commits) == self._fail_at:
                raise RuntimeError("the worker's disk is full")
            self.committed.set()
            assert self.go_on.wait(WAIT), "the test never let the import go on"
            self.go_on.clear()

        def work() -> None:
            with app.app_context():
                try:
                    self.result = run_import(path, options or ImportOptions(), actor=None, on_commit=on_commit)
                except BaseException as error:  # noqa: BLE001  (the test looks at it)
                    self.error = error
                finally:
                    self.committed.set()

        self.thread = threading.Thread(target=work, daemon=True)
        self.thread.start()

    def at_boundary(self) -> None:
        assert self.committed.wait(WAIT), "the import never committed a chunk"
        self.committed.clear()

    def next_chunk(self) -> None:
        self.go_on.set()
        self.at_boundary()

    def finish(self) -> None:
        """Let it run to its end."""
        while self.thread.is_alive():
            self.go_on.set()
            self.thread.join(0.05)


def _count() -> int:
    db.session.rollback()  # a fresh snapshot: the import commits on its own connection
    return db.session.scalar(select(func.count()).select_from(Person))


def _latest_run() -> ImportRun:
    db.session.rollback()
    return db.session.scalars(select(ImportRun).order_by(ImportRun.id.desc())).first()


@pytest.fixture
def small_chunks(app):
    app.config["IMPORT_CHUNK_ROWS"] = 4
    app.config["IMPORT_CHUNK_SECONDS"] = 60.0


def test_an_editor_saves_between_two_chunks_of_an_import(app, client, auth, small_chunks, tmp_path):
    kelam = make_person("Kelam", "Tunne")
    auth.login("editor")
    held = HeldImport(app, workbook(tmp_path, _rows(10), header=HEADER))
    held.at_boundary()

    assert _count() == 1 + 4  # the first chunk is there for everyone to see
    assert _latest_run().status == ImportStatus.RUNNING
    page = client.get(f"/contacts/people/{kelam.id}/edit").get_data(as_text=True)
    form = form_with(page, "family_name", "version")
    response = client.post(f"/contacts/people/{kelam.id}/edit", data=form.data(family_name="Kelam-Ilves"))
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]

    held.finish()
    assert held.error is None, held.error
    assert held.commits == [4, 8]  # then the last two rows with the run's totals
    db.session.expire_all()
    assert db.session.get(Person, kelam.id).family_name == "Kelam-Ilves"
    run = _latest_run()
    assert (run.status, run.created, run.rows_total) == (ImportStatus.DONE, 10, 10)
    assert _count() == 11


def test_undo_removes_every_chunk_of_an_import(app, small_chunks, tmp_path):
    result = run_import(workbook(tmp_path, _rows(10), header=HEADER), ImportOptions(), actor=None)
    assert _count() == 10
    undo_import(runs.get_run(result.run_id), actor=None)
    db.session.commit()
    assert _count() == 0


def test_a_later_row_fills_whom_an_editor_changed_since_their_chunk_without_losing_the_edit(
    app, small_chunks, tmp_path
):
    rows = _rows(4)  # the first chunk creates Family0000 …
    rows += [["Family0000", "Given0000", "person0@example.org", "Met in Strasbourg"]]  # … the second fills them
    held = HeldImport(app, workbook(tmp_path, rows + _rows(3, start=10), header=HEADER))
    held.at_boundary()
    created = db.session.scalars(select(Person).where(Person.family_name == "Family0000")).one()
    data = person_data_of(created)
    data.honorific = "Ms"
    people.update_person(created, data, actor=None, expected_version=created.version)  # an editor, meanwhile
    db.session.commit()

    held.finish()
    assert held.error is None, held.error
    db.session.expire_all()
    person = db.session.get(Person, created.id)
    assert (person.honorific, person.notes) == ("Ms", "Met in Strasbourg")  # both: the edit and the later row
    run = _latest_run()
    assert (run.created, run.updated) == (7, 1)
    with pytest.raises(UndoRefused, match="1 records were edited"):  # the edited person is theirs now
        undo_import(run, actor=None)
    db.session.rollback()


def test_an_existing_person_edited_between_chunks_is_read_again_before_the_import_fills_them(
    app, small_chunks, tmp_path
):
    kelam = make_person("Kelam", "Tunne", emails=("tunne.kelam@example.eu",))
    rows = _rows(4) + [["Kelam", "Tunne", "tunne.kelam@example.eu", "Co-signed the declaration"]]
    held = HeldImport(app, workbook(tmp_path, rows, header=HEADER))
    held.at_boundary()
    data = person_data_of(kelam)
    data.honorific = "Mr"
    people.update_person(kelam, data, actor=None, expected_version=kelam.version)
    db.session.commit()

    held.finish()
    assert held.error is None, held.error
    db.session.expire_all()
    person = db.session.get(Person, kelam.id)
    assert (person.honorific, person.notes, person.version) == ("Mr", "Co-signed the declaration", 3)


def test_an_import_that_stops_half_way_removes_what_its_chunks_wrote_and_restores_whom_it_changed(
    app, small_chunks, tmp_path
):
    kelam = make_person("Kelam", "Tunne", emails=("tunne.kelam@example.eu",))
    rows = [["Kelam", "Tunne", "tunne.kelam@example.eu", "Co-signed the declaration"], *_rows(10)]
    held = HeldImport(app, workbook(tmp_path, rows, header=HEADER), fail_at=2)
    held.at_boundary()
    assert _count() == 1 + 3
    assert db.session.get(Person, kelam.id).notes == "Co-signed the declaration"
    held.go_on.set()
    held.thread.join(WAIT)

    assert isinstance(held.error, RuntimeError)
    run = _latest_run()
    assert run.status == ImportStatus.FAILED and run.finished_at is not None
    assert run.message == (
        "The import stopped on an unexpected error. An admin can find the details in the server log. "
        "What it had written was removed again: 7 people removed, 1 restored to their earlier state, 0 roles removed."
    )
    assert _count() == 1
    person = db.session.get(Person, kelam.id)
    assert person.notes == ""


def test_a_command_line_import_holds_a_lease_so_no_worker_gives_up_on_it(app, small_chunks, tmp_path):
    held = HeldImport(app, workbook(tmp_path, _rows(6), header=HEADER))
    held.at_boundary()
    run = _latest_run()
    assert run.status == ImportStatus.RUNNING
    assert runs.fail_abandoned() == []
    held.finish()
    assert held.error is None and _latest_run().status == ImportStatus.DONE


def test_an_import_given_up_on_meanwhile_stops_at_its_next_chunk_and_keeps_nothing(app, small_chunks, tmp_path):
    held = HeldImport(app, workbook(tmp_path, _rows(10), header=HEADER))
    held.at_boundary()
    run_id = _latest_run().id
    report = chunks.give_up(run_id, "Taken for dead.")  # as a worker's chore does when a lease lapses
    assert report is not None and report.removed == 4
    held.finish()
    assert isinstance(held.error, chunks.RunTakenOver)
    run = _latest_run()
    assert (run.status, run.message) == (
        ImportStatus.FAILED,
        "Taken for dead. What it had written was removed again: 4 people removed, 0 restored to their earlier state, 0 roles removed.",
    )
    assert _count() == 0


def test_a_failure_right_after_the_first_chunk_removes_it(app, small_chunks, tmp_path):
    held = HeldImport(app, workbook(tmp_path, _rows(10), header=HEADER), fail_at=1)
    held.thread.join(WAIT)
    assert isinstance(held.error, RuntimeError)
    run = _latest_run()
    assert run.status == ImportStatus.FAILED
    assert run.message.endswith(
        "What it had written was removed again: 4 people removed, 0 restored to their earlier state, 0 roles removed."
    )
    assert _count() == 0


def test_on_sqlite_saves_get_their_turn_while_an_import_runs_without_being_held(app, database_dir, tmp_path):
    """No hook here: the pause after each commit is what lets a waiting save in. The editor waits
    at most a second for the lock, a tenth of the default; one import transaction would refuse them."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL locks rows, not the database: its editors never wait for an import")
    app.config["IMPORT_CHUNK_SECONDS"] = 0.3
    kelam = make_person("Kelam", "Tunne")
    editor = create_app(app_config(database_dir, SQLITE_BUSY_SECONDS=1))
    held = threading.Thread(target=lambda: _import_in(app, workbook(tmp_path, _rows(6000), header=HEADER)), daemon=True)
    held.start()
    saves = []
    with editor.app_context():
        while held.is_alive() or not saves:
            running = db.session.scalar(select(func.count()).where(ImportRun.status == ImportStatus.RUNNING))
            person = people.get_person(kelam.id)
            data = person_data_of(person)
            data.notes = f"save {len(saves)}"
            people.update_person(person, data, actor=None, expected_version=person.version)
            db.session.commit()  # "database is locked" after a second's wait would fail the test here
            saves.append(running)
        db.engine.dispose()
    held.join(WAIT)
    assert sum(saves) >= 3, f"only {sum(saves)} saves happened while the import ran"
    assert _latest_run().status == ImportStatus.DONE and _count() == 6001


def _import_in(app, path) -> None:
    with app.app_context():
        run_import(path, ImportOptions(), actor=None)
